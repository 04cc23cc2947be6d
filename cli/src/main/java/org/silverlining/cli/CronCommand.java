package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silver cron LOCATION [--run JOB]}: the app's [cron] jobs, or one run now. */
@Command(
    name = "cron",
    description =
        "List the [cron] jobs of the app at LOCATION with their next run and last result, or run one now with --run.")
final class CronCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "LOCATION")
  String location;

  @Option(
      names = "--run",
      paramLabel = "JOB",
      description = "Run this job now (its URL or command, as in app.ini) and wait for it.")
  String run;

  @Mixin JsonOption output;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    ApiClient api = node.client();
    if (run != null) {
      JsonNode r = api.post("cron/run", Map.of("location", location, "job", run));
      if (!output.printed(r)) {
        System.out.printf(
            "%s: %s in %d ms%n%s%n",
            r.path("job").asText(),
            r.path("status").asText(),
            r.path("millis").asLong(),
            r.path("output").asText());
      }
      return "ok".equals(r.path("status").asText()) ? 0 : 1;
    }
    JsonNode q = api.get("cron", Map.of("location", location));
    if (output.printed(q)) {
      return 0;
    }
    if (q.path("jobs").isEmpty()) {
      System.out.println(q.path("app").asText() + " has no [cron] jobs");
      return 0;
    }
    Table table = new Table("JOB", "SCHEDULE", "NEXT RUN", "LAST RUN");
    for (JsonNode j : q.path("jobs")) {
      JsonNode last = j.path("last");
      String lastText =
          last.isNull() || last.isMissingNode()
              ? "never"
              : last.path("status").asText()
                  + " at "
                  + last.path("started").asText()
                  + " ("
                  + last.path("millis").asLong()
                  + " ms)";
      table.row(
          j.path("job").asText(),
          j.path("schedule").asText()
              + (j.path("zone").asText().equals("Z") ? "" : " " + j.path("zone").asText()),
          j.path("next").asText("-"),
          lastText);
    }
    table.print(System.out);
    return 0;
  }
}

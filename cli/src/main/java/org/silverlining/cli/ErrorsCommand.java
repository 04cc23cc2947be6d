package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code silver errors LOCATION}: the live deployment's errors, grouped. */
@Command(
    name = "errors",
    description = {
      "Show the errors of the deployment live at LOCATION, grouped by signature (type and top frames): tracebacks and stack traces the app printed (Python, Java, PHP) and its 5xx answers, each with a count, first and last seen, and a sample.",
      "Counts start again with each deployment."
    })
final class ErrorsCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "LOCATION")
  String location;

  @Mixin JsonOption output;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    JsonNode r = node.client().get("errors", Map.of("location", location));
    if (output.printed(r)) {
      return 0;
    }
    JsonNode groups = r.path("groups");
    if (r.path("instance").isNull()) {
      System.out.println("nothing runs at " + r.path("location").asText());
      return 0;
    }
    if (groups.isEmpty()) {
      System.out.println("no errors in " + r.path("instance").asText());
      return 0;
    }
    System.out.println(
        groups.size()
            + " error group(s) in "
            + r.path("instance").asText()
            + ", most frequent first:");
    for (JsonNode g : groups) {
      System.out.printf(
          "%6d x %s: %s%n         first %s, last %s%n",
          g.path("count").asLong(),
          g.path("type").asText(),
          g.path("message").asText(),
          g.path("first_seen").asText(),
          g.path("last_seen").asText());
      String[] sample = g.path("sample").asText().split("\n");
      for (int i = 0; i < Math.min(6, sample.length); i++) {
        System.out.println("         | " + sample[i]);
      }
    }
    return 0;
  }
}

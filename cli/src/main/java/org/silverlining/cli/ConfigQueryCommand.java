package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silver config-query LOCATION [--files] [--dump=PATH] [--revision N]}. */
@Command(
    name = "config-query",
    description =
        "Show the configuration revisions of the app at LOCATION, newest first; --files lists the files of the current (or --revision N) revision; --dump=PATH writes them to PATH.")
final class ConfigQueryCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "LOCATION")
  String location;

  @Option(names = "--files", description = "List the files of the revision with their sizes.")
  boolean files;

  @Option(
      names = "--dump",
      paramLabel = "PATH",
      description = "Write the revision's files to PATH (a new or empty folder).")
  Path dump;

  @Option(
      names = "--revision",
      paramLabel = "N|PREV",
      description = "The revision for --files and --dump (default: the current one).")
  String revision;

  @Mixin JsonOption output;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    ApiClient api = node.client();
    if (dump != null) {
      ConfigTransfer.dump(api, location, revision, dump);
      System.out.println("Wrote the configuration of " + location + " to " + dump);
      return 0;
    }
    if (files) {
      Map<String, String> params = new LinkedHashMap<>();
      params.put("location", location);
      params.put("revision", revision);
      JsonNode r = api.get("config/files", params);
      if (output.printed(r)) {
        return 0;
      }
      System.out.println("Revision " + r.path("revision").asInt() + ":");
      for (JsonNode f : r.path("files")) {
        System.out.printf("%10d  %s%n", f.path("size").asLong(), f.path("path").asText());
      }
      return 0;
    }
    JsonNode q = api.get("config", Map.of("location", location));
    if (output.printed(q)) {
      return 0;
    }
    System.out.printf(
        "%s at %s: current revision %d; the live instance %s %s%n",
        q.path("app").asText(),
        q.path("location").asText(),
        q.path("current").asInt(),
        q.path("active").asText("-"),
        q.path("active_runs_own").asBoolean(true)
            ? "runs revision " + q.path("active_revision").asInt()
            : "was deployed with revision "
                + q.path("active_revision").asInt()
                + " and reads the newest ("
                + "silver activate "
                + location
                + " "
                + q.path("active").asText()
                + " --with-config returns to it)");
    if (q.path("revisions").isEmpty()) {
      System.out.println("No configuration was uploaded.");
      return 0;
    }
    Table table = new Table(">REV", "WHEN", "WHO", ">FILES", "MESSAGE");
    for (JsonNode r : q.path("revisions")) {
      table.row(
          r.path("revision").asInt(),
          r.path("when").asText(),
          r.path("who").asText(),
          r.path("files").asInt(),
          r.path("message").asText());
    }
    table.print(System.out);
    return 0;
  }
}

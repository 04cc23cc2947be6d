package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silver logs LOCATION}: the logs of the app serving a location, or of the node. */
@Command(
    name = "logs",
    description = {
      "Show what the app at LOCATION printed (logs/apps/APP/app.log), or another of its streams, or the node's own log.",
      "Streams: app, cron, tasks, update, errors (files in logs/apps/APP/), access (the app's lines of the access log)."
    })
final class LogsCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "LOCATION")
  String location;

  @Option(
      names = {"-n", "--lines"},
      defaultValue = "50",
      description = "Lines to show (default: ${DEFAULT-VALUE}).")
  int lines;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new lines until Ctrl-C.")
  boolean follow;

  @Option(names = "--list", description = "List the app's log files with their sizes.")
  boolean list;

  @Option(
      names = "--stream",
      paramLabel = "STREAM",
      description = "app (default), cron, tasks, update, errors or access.")
  String stream;

  @Option(
      names = "--since",
      paramLabel = "SPAN",
      description = "Only lines written in the last SPAN: 10m, 2h, 1d.")
  String since;

  @Option(
      names = "--grep",
      paramLabel = "RE",
      description = "Only lines matching the regular expression RE.")
  String grep;

  @Option(names = "--of-node", description = "The node's own log (logs/node.log), not an app's.")
  boolean nodeLog;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    if (location == null && !nodeLog) {
      throw new IllegalArgumentException("give a LOCATION, or --of-node for the node's own log");
    }
    Map<String, String> p = new LinkedHashMap<>();
    if (list) {
      p.put("location", location);
      JsonNode r = node.client().get("logs/files", p);
      System.out.println(
          "Log files of " + r.path("app").asText() + " in " + r.path("dir").asText() + ":");
      for (JsonNode f : r.path("files")) {
        System.out.printf(
            "%10s  %s  %s%n",
            StatsCommand.bytes(f.path("size").asDouble()),
            f.path("modified").asText(),
            f.path("name").asText());
      }
      return 0;
    }
    if (nodeLog) {
      p.put("node", "true");
    } else {
      p.put("location", location);
    }
    p.put("n", Integer.toString(lines));
    if (stream != null) {
      p.put("stream", stream);
    }
    if (since != null) {
      p.put("since", since);
    }
    if (grep != null) {
      p.put("grep", grep);
    }
    if (follow) {
      p.put("follow", "true");
    }
    node.client().getText("logs", p, System.out);
    return 0;
  }
}

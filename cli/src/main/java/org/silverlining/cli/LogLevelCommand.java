package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silver log-level LOCATION LEVEL --for SPAN}: a log level for a while. */
@Command(
    name = "log-level",
    description = {
      "Set the log level of the app at LOCATION (or of the node, with --of-node) for a while; it goes back to info by itself when the time is up.",
      "The app reads the level from the file named by SILVER_LOG_LEVEL_FILE (replaced atomically, so it can watch it) or, at its next start, from SILVER_LOG_LEVEL; the app-api's Silver.logLevel() and SilverLogging follow it."
    })
final class LogLevelCommand implements Callable<Integer> {
  @Parameters(
      arity = "1..2",
      paramLabel = "[LOCATION] LEVEL",
      description = "trace, debug, info, warn or error.")
  java.util.List<String> args;

  @Option(
      names = "--for",
      paramLabel = "SPAN",
      defaultValue = "1h",
      description = "How long: 30m, 2h, 1d (default: ${DEFAULT-VALUE}; at most 7d).")
  String span;

  @Option(names = "--of-node", description = "The node's own log level, not an app's.")
  boolean nodeLevel;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    Map<String, String> p = new LinkedHashMap<>();
    if (nodeLevel) {
      if (args.size() != 1) {
        throw new IllegalArgumentException("with --of-node give only the LEVEL");
      }
      p.put("node", "true");
      p.put("level", args.get(0));
    } else {
      if (args.size() != 2) {
        throw new IllegalArgumentException("give LOCATION and LEVEL (or --of-node LEVEL)");
      }
      p.put("location", args.get(0));
      p.put("level", args.get(1));
    }
    p.put("duration", span);
    JsonNode r = node.client().post("log-level", p);
    String who = r.path("app").isNull() ? "the node" : r.path("app").asText();
    System.out.println(
        "Log level of "
            + who
            + ": "
            + r.path("level").asText()
            + (r.path("until").isNull() ? "" : " until " + r.path("until").asText()));
    return 0;
  }
}

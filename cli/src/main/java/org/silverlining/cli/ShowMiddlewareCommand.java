package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silver show-middleware LOCATION [--revisions]}. */
@Command(
    name = "show-middleware",
    description = {
      "Show the middleware packs of LOCATION in the order they see a request, with their"
          + " versions and settings (secret ones as ********), or with --revisions every"
          + " revision of them, newest first."
    })
final class ShowMiddlewareCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "LOCATION")
  String location;

  @Option(names = "--revisions", description = "List the revisions instead.")
  boolean revisions;

  @Mixin JsonOption output;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    if (revisions) {
      JsonNode r = node.client().get("middleware/revisions", Map.of("location", location));
      if (output.printed(r)) {
        return 0;
      }
      if (r.path("revisions").isEmpty()) {
        System.out.println("No middleware revisions at " + r.path("location").asText() + ".");
        return 0;
      }
      Table t = new Table("REVISION", "WHEN", "WHO", "WHAT", "PACKS");
      for (JsonNode v : r.path("revisions")) {
        t.row(
            v.path("revision").asText(),
            v.path("at").asText(),
            v.path("who").asText(),
            v.path("message").asText(),
            names(v.path("packs")));
      }
      t.print(System.out);
      return 0;
    }
    JsonNode r = node.client().get("middleware", Map.of("location", location));
    if (output.printed(r)) {
      return 0;
    }
    if (r.path("packs").isEmpty()) {
      System.out.println("No middleware at " + r.path("location").asText() + ".");
      return 0;
    }
    System.out.println(
        "Middleware of "
            + r.path("location").asText()
            + " (revision "
            + r.path("revision").asInt()
            + "):");
    Table t = new Table("PACK", "VERSION", "SETTINGS");
    for (JsonNode p : r.path("packs")) {
      t.row(p.path("name").asText(), p.path("version").asText(), settings(p.path("settings")));
    }
    t.print(System.out);
    return 0;
  }

  /** One line for an answer of apply, remove or revert. */
  static String summary(JsonNode change) {
    List<String> packs = new ArrayList<>();
    change.path("packs").forEach(p -> packs.add(p.path("name").asText()));
    return change.path("message").asText()
        + " at "
        + change.path("location").asText()
        + ": middleware revision "
        + change.path("revision").asInt()
        + ", packs in order: "
        + (packs.isEmpty() ? "none" : String.join(", ", packs));
  }

  private static String names(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out.isEmpty() ? "-" : String.join(", ", out);
  }

  private static String settings(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.properties().forEach(e -> out.add(e.getKey() + "=" + e.getValue().asText()));
    return out.isEmpty() ? "-" : String.join(" ", out);
  }
}

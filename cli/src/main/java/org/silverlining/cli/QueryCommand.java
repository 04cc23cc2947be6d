package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silver query}: what a node serves — locations, apps, instances, processes. */
@Command(
    name = "query",
    description = {
      "Show the node's locations, apps, instances and processes.",
      "With a nodeset file, show each of its app servers."
    })
final class QueryCommand implements Callable<Integer> {
  @Mixin NodeOption node;

  @Mixin JsonOption output;

  @Option(names = "--all", description = "List every instance, not just the last five per app.")
  boolean all;

  @Parameters(
      arity = "0..1",
      paramLabel = "NODESET",
      description = "A nodeset file (NAME.nodeset): show each of its app servers, as --node does.")
  String nodeset;

  @Override
  public Integer call() throws Exception {
    node.nodesetArgument(nodeset);
    if (!node.isNodeset()) {
      JsonNode q = node.client().get("apps", Map.of());
      if (!output.printed(q)) {
        print(q);
      }
      return 0;
    }
    com.fasterxml.jackson.databind.node.ArrayNode answers =
        new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
    for (ApiClient api : node.clients()) {
      answers.add(api.get("apps", Map.of()));
    }
    if (output.printed(
        new com.fasterxml.jackson.databind.ObjectMapper()
            .createObjectNode()
            .put("nodeset", node.nodeset().name())
            .set("nodes", answers))) {
      return 0;
    }
    for (JsonNode q : answers) {
      print(q);
      System.out.println();
    }
    return 0;
  }

  private void print(JsonNode q) {
    System.out.println("Node " + q.path("node").asText());
    System.out.println();
    Table locations = new Table("LOCATION", "APP", "ACTIVE", "PREVIOUS", "MIDDLEWARE");
    for (JsonNode l : q.path("locations")) {
      locations.row(
          l.path("location").asText(),
          l.path("app").asText(),
          l.path("active").asText("-"),
          l.path("previous").isNull() ? "-" : l.path("previous").asText(),
          middleware(l.path("middleware")));
    }
    locations.print(System.out);
    System.out.println();
    Table instances = new Table("APP", "INSTANCE", "STATUS", "PROCESSES");
    for (JsonNode app : q.path("apps")) {
      String name =
          app.path("name").asText() + (app.path("disabled").asBoolean() ? " (disabled)" : "");
      int shown = 0;
      for (JsonNode i : app.path("instances")) {
        if (!all && shown++ >= 5) {
          break;
        }
        StringBuilder procs = new StringBuilder();
        for (JsonNode p : i.path("processes")) {
          procs
              .append(procs.length() == 0 ? "" : ", ")
              .append(p.path("state").asText())
              .append(" :")
              .append(p.path("port").asInt())
              .append(" pid ")
              .append(p.path("pid").asLong());
          if (p.path("restarts").asInt() > 0) {
            procs.append(" (").append(p.path("restarts").asInt()).append(" restarts)");
          }
        }
        instances.row(
            name,
            i.path("name").asText(),
            i.path("status").asText(),
            procs.length() == 0 ? (i.path("running").asBoolean() ? "static" : "stopped") : procs);
        name = "";
      }
    }
    instances.print(System.out);
  }

  /** A location's packs in order, or {@code -}. */
  private static String middleware(JsonNode names) {
    java.util.List<String> out = new java.util.ArrayList<>();
    names.forEach(n -> out.add(n.asText()));
    return out.isEmpty() ? "-" : String.join(", ", out);
  }
}

package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code silver security}: the node's security log, grouped by client and kind. */
@Command(
    name = "security",
    description = {
      "Show the node's security log grouped by client and kind, most events first: failed logins, bad management API tokens, path traversal, probes for paths like /.env the apps do not serve, malformed and smuggling requests, rate-limit and allow refusals, bans.",
      "ALLOWED is yes for clients in node.ini [security] allow. --json prints the groups and the latest events themselves."
    })
final class SecurityCommand implements Callable<Integer> {
  @Option(
      names = "--since",
      paramLabel = "SPAN",
      description = "How far back: 30m, 24h, 7d (default: ${DEFAULT-VALUE}).",
      defaultValue = "24h")
  String since;

  @Mixin JsonOption output;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    JsonNode r = node.client().get("security", Map.of("since", since));
    if (output.printed(r)) {
      return 0;
    }
    JsonNode groups = r.path("groups");
    if (groups.isEmpty()) {
      System.out.println("no security events in the last " + since);
      return 0;
    }
    Table t = new Table("CLIENT", "KIND", ">COUNT", "ALLOWED", "LAST", "TARGETS");
    for (JsonNode g : groups) {
      List<String> targets = new ArrayList<>();
      g.path("targets").forEach(x -> targets.add(x.asText()));
      t.row(
          g.path("client").asText(),
          g.path("kind").asText(),
          g.path("count").asInt(),
          g.path("allowed").asBoolean() ? "yes" : "no",
          g.path("last").asText().replaceAll("\\.\\d+Z$", "Z"),
          String.join(" ", targets));
    }
    t.print(System.out);
    System.out.println(r.path("total").asInt() + " event(s) since " + r.path("since").asText());
    return 0;
  }
}

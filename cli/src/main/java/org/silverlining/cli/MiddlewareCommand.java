package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code silver middleware}: the packs the node can apply. */
@Command(
    name = "middleware",
    description = {
      "List the middleware packs the node can apply (apply-middleware), with their versions,"
          + " what they do and the settings they take."
    })
final class MiddlewareCommand implements Callable<Integer> {
  @Mixin JsonOption output;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    JsonNode r = node.client().get("middleware/packs", Map.of());
    if (output.printed(r)) {
      return 0;
    }
    Table t = new Table("PACK", "VERSION", "SETTINGS", "DESCRIPTION");
    for (JsonNode p : r.path("packs")) {
      List<String> keys = new ArrayList<>();
      for (JsonNode s : p.path("settings")) {
        String key = s.path("key").asText();
        keys.add(key.endsWith(".") ? key + "NAME" : key);
      }
      t.row(
          p.path("name").asText(),
          p.path("version").asText(),
          keys.isEmpty() ? "-" : String.join(", ", keys),
          p.path("description").asText());
    }
    t.print(System.out);
    return 0;
  }
}

package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.silverlining.node.secret.GracePeriod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code silver secret [rotate [--grace 7d]]}: the node's rotating platform secret. */
@Command(
    name = "secret",
    description = {
      "List the keys of the node's platform secret (ids, when made, when they expire; never the keys).",
      "Apps read the key ring from the file SILVER_SECRETS_FILE, replaced atomically on every change."
    },
    subcommands = {SecretCommand.Rotate.class})
final class SecretCommand implements Callable<Integer> {
  @Mixin JsonOption output;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    print(node.client().get("secret", Map.of()), output);
    return 0;
  }

  static void print(JsonNode r, JsonOption output) {
    if (output.printed(r)) {
      return;
    }
    Table table = new Table("KEY", "STATE", "CREATED", "EXPIRES");
    for (JsonNode k : r.path("keys")) {
      table.row(
          k.path("id").asText(),
          k.path("current").asBoolean() ? "current" : "retired",
          k.path("created").asText(),
          k.path("expires").isNull() ? "-" : k.path("expires").asText());
    }
    table.print(System.out);
  }

  @Command(
      name = "rotate",
      description = {
        "Make a new current key. Older keys stay valid for verifying signatures during the grace"
            + " period, then are removed; --grace 0 removes them at once (a leaked key).",
        "Running apps see the new ring within seconds, without a restart."
      })
  static final class Rotate implements Callable<Integer> {
    @Option(
        names = "--grace",
        paramLabel = "DURATION",
        defaultValue = "7d",
        description =
            "How long older keys still verify: 7d, 12h, 30m, 45s or 0 (default: ${DEFAULT-VALUE}).")
    String grace;

    @Mixin JsonOption output;

    @Mixin NodeOption node;

    @Override
    public Integer call() throws Exception {
      try {
        GracePeriod.parse(grace);
      } catch (IllegalArgumentException e) {
        throw new UserException("--grace: " + e.getMessage());
      }
      Map<String, String> params = new LinkedHashMap<>();
      params.put("grace", grace);
      JsonNode r = node.client().post("secret/rotate", params);
      if (!output.json) {
        System.out.println(
            "Key " + r.path("current").asText() + " is the platform secret's current key now.");
      }
      print(r, output);
      return 0;
    }
  }
}

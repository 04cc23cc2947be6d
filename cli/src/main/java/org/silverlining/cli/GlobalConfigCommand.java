package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code silver global-config [--set K=V [--secret]] [--unset K] [--app APP] [--show-secrets]}. */
@Command(
    name = "global-config",
    description = {
      "Show or change the node's global configuration (API keys, an admin e-mail...).",
      "Apps read it from the file SILVER_GLOBAL_CONFIG, replaced atomically on every change; --app APP sets an override for one app.",
      "Values set with --secret are shown as ******** unless --show-secrets.",
      "The node reads static_url and cdn, cdn_endpoint, cdn_region, cdn_access_key, cdn_secret_key (the push of static/ to S3-compatible storage) itself; cdn_secret_key is always secret, and neither key reaches the apps' file."
    })
final class GlobalConfigCommand implements Callable<Integer> {
  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Set KEY.")
  String set;

  @Option(names = "--unset", paramLabel = "KEY", description = "Remove KEY.")
  String unset;

  @Option(
      names = "--secret",
      description =
          "With --set: the value is secret, never shown unless --show-secrets; KEY stays secret until unset everywhere. --set KEY --secret (no =VALUE) reads the value from standard input.")
  boolean secret;

  @Option(names = "--show-secrets", description = "Show the values of secret keys too.")
  boolean showSecrets;

  @Option(
      names = "--app",
      paramLabel = "APP",
      description = "Show what APP sees, or change APP's override.")
  String app;

  @Mixin JsonOption output;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    if (set != null && unset != null) {
      throw new UserException("give --set or --unset, not both");
    }
    if (secret && set == null) {
      throw new UserException(
          "--secret marks the value given with --set, e.g. --set API_KEY=VALUE --secret");
    }
    ApiClient api = node.client();
    Map<String, String> params = new LinkedHashMap<>();
    params.put("app", app);
    if (set != null || unset != null) {
      if (set != null) {
        int eq = set.indexOf('=');
        if (eq < 0 && secret && !set.isBlank()) {
          // A secret need not be on the command line, where `ps` and shell history see it.
          params.put("key", set.strip());
          params.put("value", firstLineOfStdin());
        } else if (eq <= 0) {
          throw new UserException(
              "--set takes KEY=VALUE, e.g. --set SUPPORT_EMAIL=ops@example.org"
                  + " (or --set KEY --secret, the value on standard input)");
        } else {
          params.put("key", set.substring(0, eq).strip());
          params.put("value", set.substring(eq + 1).strip());
        }
        if (secret) {
          params.put("secret", "true");
        }
      } else {
        params.put("key", unset);
        params.put("unset", "true");
      }
      JsonNode r = api.post("global-config", params);
      System.out.println(
          (set != null ? "Set " : "Unset ")
              + params.get("key")
              + (secret ? " (secret)" : "")
              + (app == null ? "" : " for " + app)
              + " (global configuration revision "
              + r.path("revision").asInt()
              + ")");
      return 0;
    }
    if (showSecrets) {
      params.put("show_secrets", "true");
    }
    JsonNode r = api.get("global-config", params);
    if (output.printed(r)) {
      return 0;
    }
    if (app != null) {
      System.out.println("[global]  (as " + app + " sees it)");
      r.path("values").properties().forEach(e -> print(e.getKey(), e.getValue()));
      printFooter(r);
      return 0;
    }
    r.path("sections")
        .properties()
        .forEach(
            s -> {
              System.out.println("[" + s.getKey() + "]");
              s.getValue().properties().forEach(e -> print(e.getKey(), e.getValue()));
            });
    printFooter(r);
    return 0;
  }

  private static String firstLineOfStdin() throws java.io.IOException {
    java.io.BufferedReader in =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
    String line = in.readLine();
    if (line == null || line.isBlank()) {
      throw new UserException(
          "--set KEY --secret reads the value from standard input; it was empty");
    }
    return line.strip();
  }

  private static void print(String key, JsonNode value) {
    System.out.println(key + " = " + value.asText());
  }

  private static void printFooter(JsonNode r) {
    if (!r.path("secrets_shown").asBoolean() && !r.path("secret_keys").isEmpty()) {
      System.out.println("(secret values are hidden; --show-secrets shows them)");
    }
  }
}

package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One platform secret and one global configuration for a nodeset: at each nodeset update, the first
 * app server's are the nodeset's, and each other app server is brought to them before any instance
 * starts, so that the new instances sign and read alike everywhere: the platform secret's key ring
 * (material included) when its keys differ, and the global configuration (every section, secret
 * values included) key by key. Both travel over the management API (TLS off loopback). Change them
 * on the first app server ({@code silver secret --node APP1}, {@code silver global-config --node
 * APP1}); one per nodeset is the seed of one per group of nodes.
 */
final class NodesetConfig {
  private NodesetConfig() {}

  /**
   * Brings the platform secret and global configuration of each of {@code others} to {@code
   * first}'s.
   */
  static void sync(ApiClient first, List<ApiClient> others, PrintStream out) throws IOException {
    if (others.isEmpty()) {
      return;
    }
    JsonNode keys = first.get("secret", Map.of()).path("keys");
    JsonNode want = read(first);
    String ring = null;
    for (ApiClient api : others) {
      long t0 = System.nanoTime();
      if (!api.get("secret", Map.of()).path("keys").equals(keys)) {
        ring = ring != null ? ring : first.get("secret/ring", Map.of()).path("ring").asText();
        api.postText("secret/adopt", Map.of(), ring);
        line(out, api, "secret", "key ring as on " + first.node().name(), t0);
      }
      t0 = System.nanoTime();
      int[] changed = config(want, api);
      line(
          out,
          api,
          "global-config",
          (changed[0] + changed[1] == 0 ? "" : changed[0] + " set, " + changed[1] + " unset ")
              + "as on "
              + first.node().name(),
          t0);
    }
  }

  /** Sets and unsets keys of {@code api}'s global configuration to make it {@code want}. */
  private static int[] config(JsonNode want, ApiClient api) throws IOException {
    Set<String> secret = new HashSet<>();
    want.path("secret_keys").forEach(k -> secret.add(k.asText()));
    JsonNode have = read(api);
    int[] changed = new int[2];
    for (var section : want.path("sections").properties()) {
      for (var e : section.getValue().properties()) {
        JsonNode now = have.path("sections").path(section.getKey()).path(e.getKey());
        if (now.isMissingNode() || !now.asText().equals(e.getValue().asText())) {
          Map<String, String> p = params(section.getKey(), e.getKey());
          p.put("value", e.getValue().asText());
          if (secret.contains(e.getKey())) {
            p.put("secret", "true");
          }
          api.post("global-config", p);
          changed[0]++;
        }
      }
    }
    for (var section : have.path("sections").properties()) {
      for (var e : section.getValue().properties()) {
        if (want.path("sections").path(section.getKey()).path(e.getKey()).isMissingNode()) {
          Map<String, String> p = params(section.getKey(), e.getKey());
          p.put("unset", "true");
          api.post("global-config", p);
          changed[1]++;
        }
      }
    }
    return changed;
  }

  private static void line(PrintStream out, ApiClient api, String stage, String what, long t0) {
    out.printf(
        "  %-10s %-13s %-40s %6d ms%n",
        api.node().name(), stage, what, (System.nanoTime() - t0) / 1_000_000);
  }

  private static JsonNode read(ApiClient api) throws IOException {
    return api.get("global-config", Map.of("show_secrets", "true"));
  }

  /** The parameters that change {@code key} of {@code section} ({@code global} or app:NAME). */
  private static Map<String, String> params(String section, String key) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("key", key);
    if (section.startsWith("app:")) {
      p.put("app", section.substring("app:".length()));
    }
    return p;
  }
}

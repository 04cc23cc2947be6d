package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.silverlining.core.SoftwareHash;

/**
 * Compares the node's software with this command's before an update: the node reports the
 * fingerprint of the code it runs ({@link SoftwareHash}); when it differs from the CLI's, the user
 * is told and asked whether to go on.
 */
final class SoftwareCheck {
  private SoftwareCheck() {}

  /** The fingerprint of the code this command runs. */
  static String mine() {
    return SoftwareHash.of(SoftwareCheck.class);
  }

  /** True when the node's fingerprint {@code theirs} is known and differs from {@code mine}. */
  static boolean differs(String theirs, String mine) {
    return theirs != null
        && !theirs.isEmpty()
        && !theirs.equals("unknown")
        && !mine.equals("unknown")
        && !theirs.equals(mine);
  }

  /**
   * Whether the update may go on: true when the node runs the same software, or when {@code yes} or
   * the user answers yes. An answer of update, for a node on this machine, restarts it on this
   * command's software first.
   */
  static boolean proceed(ApiClient api, boolean yes, InputStream in, PrintStream out)
      throws IOException {
    JsonNode node = api.get("", Map.of());
    if (!differs(node.path("software").asText(""), mine())) {
      return true;
    }
    String name = api.node().name();
    out.println("Warning: the node " + name + " is not up to date; setup-node should be run");
    if (yes) {
      return true;
    }
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    while (true) {
      out.print("Continue anyway (y)es/(n)o/(u)pdate? ");
      out.flush();
      String answer = reader.readLine();
      String a = answer == null ? "n" : answer.strip().toLowerCase(java.util.Locale.ROOT);
      switch (a) {
        case "y", "yes" -> {
          return true;
        }
        case "n", "no", "" -> {
          return false;
        }
        case "u", "update" -> {
          NodeRegistry registry = NodeRegistry.forUser();
          if (registry.has(name) && RemoteNode.isRemote(registry.entry(name))) {
            RemoteNode.setup(name, false, out);
            return true;
          }
          return LocalNodeRestart.restart(api, out);
        }
        default -> out.println("Please answer y, n or u.");
      }
    }
  }
}

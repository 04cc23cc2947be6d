package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Restarts a node on this machine on this command's software: stops the running node gracefully and
 * its supervisor (its apps stop with it), starts it again from this command's jar in the background
 * under a new supervisor ({@link LocalNodes#startDetached}), and waits until it answers. Remote
 * nodes are updated with setup-node on them.
 */
final class LocalNodeRestart {
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private LocalNodeRestart() {}

  static boolean restart(ApiClient api, PrintStream out) throws IOException {
    Path root = api.node().root();
    if (root == null) {
      out.println(
          "The node "
              + api.node().name()
              + " is not on this machine: run setup-node on it, then update again.");
      return false;
    }
    JsonNode me = api.get("", Map.of());
    out.println(
        "Stopping the node " + api.node().name() + " (pid " + me.path("pid").asText("?") + ")...");
    // Through its supervisor, which would start it again on the old jar otherwise.
    LocalNodes.stopNode(root, STOP_TIMEOUT);
    LocalNodes.startDetached(root);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        JsonNode now = api.get("", Map.of());
        if (!SoftwareCheck.differs(now.path("software").asText(""), SoftwareCheck.mine())) {
          out.println("The node " + api.node().name() + " runs this version now.");
          return true;
        }
      } catch (IOException | UserException e) {
        // not up yet
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    throw new UserException(
        "the node did not answer within "
            + START_TIMEOUT.toSeconds()
            + " s; see "
            + LocalNodes.consoleLog(root));
  }
}

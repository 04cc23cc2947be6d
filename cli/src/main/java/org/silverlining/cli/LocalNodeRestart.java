package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Restarts a node on this machine on this command's software: stops the running node gracefully
 * (its apps stop with it), starts {@code silver node start --root ROOT} from this command's jar in
 * the background, and waits until it answers. Remote nodes are updated with setup-node on them.
 */
final class LocalNodeRestart {
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private LocalNodeRestart() {}

  /** The command line that starts the node at {@code root} with the jar {@code jar}. */
  static List<String> startCommand(Path java, Path jar, Path root) {
    return List.of(
        java.toString(), "-jar", jar.toString(), "node", "start", "--root", root.toString());
  }

  static boolean restart(ApiClient api, PrintStream out) throws IOException {
    Path root = api.node().root();
    if (root == null) {
      out.println(
          "The node "
              + api.node().name()
              + " is not on this machine: run setup-node on it, then update again.");
      return false;
    }
    Path jar;
    try {
      jar =
          Path.of(
              LocalNodeRestart.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      throw new UserException("cannot tell which jar this command runs from: " + e.getMessage());
    }
    if (!Files.isRegularFile(jar)) {
      throw new UserException("this command does not run from a jar (" + jar + "); build it first");
    }
    JsonNode me = api.get("", Map.of());
    Optional<ProcessHandle> node = ProcessHandle.of(me.path("pid").asLong(-1));
    if (node.isEmpty()) {
      throw new UserException("the node did not say its process id; restart it by hand");
    }
    out.println("Stopping the node " + api.node().name() + " (pid " + node.get().pid() + ")...");
    node.get().destroy();
    try {
      node.get().onExit().get(STOP_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new UserException(
          "the node did not stop within " + STOP_TIMEOUT.toSeconds() + " s; stop it by hand");
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path log = root.resolve("logs").resolve("node-restart.log");
    Files.createDirectories(log.getParent());
    List<String> cmd = new ArrayList<>(startCommand(java, jar, root));
    new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
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
        "the node did not answer within " + START_TIMEOUT.toSeconds() + " s; see " + log);
  }
}

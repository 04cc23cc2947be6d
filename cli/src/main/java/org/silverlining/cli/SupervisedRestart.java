package org.silverlining.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting for a node on this machine that does not answer while its supervisor runs: it died and
 * its supervisor starts it again 2 s later ({@link NodeRunner}). The wait ends as soon as the node
 * answers, and early when it is clear that it will not: its supervisor has stopped, or has said
 * that the node exited again after that restart (a node that fails as it starts), or {@link
 * #TIMEOUT} has passed.
 */
final class SupervisedRestart {
  static final Duration TIMEOUT = LocalNodeRestart.START_TIMEOUT;
  private static final Duration POLL = Duration.ofMillis(250);

  /**
   * Exits the supervisor may report before a wait gives up: the first can be the death that made
   * the node stop answering, written just after the wait began.
   */
  private static final int EXITS = 2;

  private SupervisedRestart() {}

  /** Whether the node at {@code root} is under a running supervisor, so coming back if it died. */
  static boolean supervised(Path root) {
    return root != null && LocalNodes.supervisor(root).isPresent();
  }

  /**
   * Waits until {@code answers} says the node at {@code root} is up: null then; otherwise why it is
   * not coming back.
   */
  static String await(Path root, BooleanSupplier answers) throws InterruptedException {
    Path log = LocalNodes.consoleLog(root);
    long from = size(log);
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Thread.sleep(POLL.toMillis());
      if (answers.getAsBoolean()) {
        return null;
      }
      if (LocalNodes.supervisor(root).isEmpty()) {
        return "its supervisor has stopped";
      }
      long exits =
          LocalNodes.printedSince(log, from).stream()
              .filter(l -> l.startsWith(NodeRunner.EXITED))
              .count();
      if (exits >= EXITS) {
        return "it exits again as its supervisor starts it; see " + log;
      }
    }
    return "it did not answer within " + TIMEOUT.toSeconds() + " s; see " + log;
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }
}

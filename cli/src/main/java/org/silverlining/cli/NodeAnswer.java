package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/** Waiting, with a status line, for a node just started to answer its management API. */
final class NodeAnswer {
  static final Duration TIMEOUT = Duration.ofSeconds(90);

  private NodeAnswer() {}

  /**
   * The registered node {@code name}'s {@code GET /api/v1/} answer once it gives one. {@code died}
   * says why the node cannot answer any more (its process exited, with the end of its output) or
   * null while it may; {@code whereToLook} ends the message of a node that did not answer in time.
   */
  static JsonNode await(
      NodeRegistry registry,
      String name,
      Supplier<String> died,
      Supplier<String> whereToLook,
      PrintStream out)
      throws IOException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    String last = null;
    try (StatusLine status =
        StatusLine.start(
            out, ms -> "Waiting for the node " + name + " to answer (" + ms / 1000 + " s)")) {
      while (System.nanoTime() < deadline) {
        try {
          // Resolved again each time: a node on port 0 says in node.ini which port it took.
          return new ApiClient(registry.resolve(name)).get("", Map.of());
        } catch (IOException | UserException e) {
          last = e.getMessage();
        }
        String why = died.get();
        if (why != null) {
          throw new UserException("the node " + name + " stopped before it answered: " + why);
        }
        try {
          Thread.sleep(250);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new UserException("interrupted while waiting for the node " + name);
        }
      }
    }
    throw new UserException(
        "the node "
            + name
            + " did not answer within "
            + TIMEOUT.toSeconds()
            + " s (last: "
            + last
            + "); see "
            + whereToLook.get());
  }
}

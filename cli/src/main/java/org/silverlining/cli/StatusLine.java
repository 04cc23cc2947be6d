package org.silverlining.cli;

import java.io.PrintStream;
import java.util.function.LongFunction;

/**
 * One line on a terminal that says what is going on, drawn again once a second and erased when
 * closed, so that a long step is seen to move. Off a terminal it draws nothing.
 */
final class StatusLine implements AutoCloseable {
  private static final long PERIOD_MILLIS = 1000;
  private final PrintStream out;
  private final Thread ticker;
  private int widest;

  private StatusLine(PrintStream out, LongFunction<String> text, boolean terminal) {
    this.out = out;
    if (!terminal) {
      ticker = null;
      return;
    }
    long start = System.nanoTime();
    ticker =
        new Thread(
            () -> {
              try {
                while (true) {
                  Thread.sleep(PERIOD_MILLIS);
                  draw(text.apply((System.nanoTime() - start) / 1_000_000));
                }
              } catch (InterruptedException e) {
                // closed
              }
            },
            "status-line");
    ticker.setDaemon(true);
    ticker.start();
  }

  /**
   * Draws {@code text}, given the milliseconds since this call, on {@code out} when standard output
   * is a terminal.
   */
  static StatusLine start(PrintStream out, LongFunction<String> text) {
    return new StatusLine(out, text, System.console() != null);
  }

  private synchronized void draw(String line) {
    String text = "  " + line;
    out.print("\r" + text + " ".repeat(Math.max(0, widest - text.length())));
    out.flush();
    widest = Math.max(widest, text.length());
  }

  /** Stops drawing and erases the line, so that what is printed next starts a clean one. */
  @Override
  public void close() {
    if (ticker == null || !ticker.isAlive()) {
      return;
    }
    ticker.interrupt();
    try {
      ticker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (widest > 0) {
        out.print("\r" + " ".repeat(widest) + "\r");
        out.flush();
        widest = 0;
      }
    }
  }
}

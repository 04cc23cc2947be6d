package org.silverlining.api;

import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps {@code java.util.logging}'s root level in step with {@link Silver#logLevel()}, so that
 * {@code silver log-level LOCATION debug --for 30m} turns an app's debug logging on and, after 30
 * minutes, off. Apps on SLF4J with its JUL bridge, or any library logging through JUL, follow
 * along.
 */
public final class SilverLogging {
  /** How often the level file is looked at (it is read again only when it changed). */
  public static final long CHECK_SECONDS = 2;

  private static ScheduledExecutorService watcher;

  private SilverLogging() {}

  /** The {@code java.util.logging} level of a Silver Lining level name. */
  public static Level julLevel(String level) {
    return switch (level.toLowerCase(Locale.ROOT)) {
      case "trace" -> Level.FINEST;
      case "debug" -> Level.FINE;
      case "warn", "warning" -> Level.WARNING;
      case "error" -> Level.SEVERE;
      default -> Level.INFO;
    };
  }

  /** Sets the root logger's level (and its handlers') from {@link Silver#logLevel()} once. */
  public static void applyLevel() {
    Level level = julLevel(Silver.logLevel());
    Logger root = Logger.getLogger("");
    if (!level.equals(root.getLevel())) {
      root.setLevel(level);
      for (java.util.logging.Handler h : root.getHandlers()) {
        h.setLevel(level);
      }
    }
  }

  /** Applies the level now and again whenever it changes, on one daemon thread. */
  public static synchronized void followLevel() {
    applyLevel();
    if (watcher == null) {
      watcher =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "silver-log-level");
                t.setDaemon(true);
                return t;
              });
      watcher.scheduleWithFixedDelay(
          () -> {
            try {
              applyLevel();
            } catch (RuntimeException e) {
              // the file is being replaced or gone for a moment: try again next time
            }
          },
          CHECK_SECONDS,
          CHECK_SECONDS,
          TimeUnit.SECONDS);
    }
  }
}

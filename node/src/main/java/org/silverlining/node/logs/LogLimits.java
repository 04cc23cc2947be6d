package org.silverlining.node.logs;

import java.util.Locale;

/**
 * How large each of the node's log files grows and how many rotated files are kept: {@code
 * node.ini} {@code [logs] max_size} and {@code keep}. A file that would pass {@code maxBytes} is
 * renamed to {@code NAME.1} (an older {@code NAME.1} to {@code NAME.2}, and so on; the one past
 * {@code keep} is deleted) and a new one started, so a log takes at most {@code (keep + 1) *
 * maxBytes} (plus one line).
 *
 * @param maxBytes the size at which a file is rotated
 * @param keep how many rotated files are kept beside the current one
 */
public record LogLimits(long maxBytes, int keep) {
  public static final long MIN_BYTES = 1024;
  public static final int MAX_KEEP = 20;

  /** {@code max_size = 50MB}, {@code keep = 5}. */
  public static final LogLimits DEFAULT = new LogLimits(50L * 1024 * 1024, 5);

  public LogLimits {
    if (maxBytes < MIN_BYTES) {
      throw new IllegalArgumentException(
          "max_size must be at least 1KB, not " + maxBytes + " bytes");
    }
    if (keep < 1 || keep > MAX_KEEP) {
      throw new IllegalArgumentException("keep must be 1 to " + MAX_KEEP + ", not " + keep);
    }
  }

  /**
   * A size as written in node.ini: a number of bytes, or a number followed by {@code KB}, {@code
   * MB} or {@code GB} (powers of 1024; case and a space before the unit do not matter).
   */
  public static long parseSize(String text) {
    String t = text.strip().toUpperCase(Locale.ROOT);
    long unit = 1;
    for (String[] u : new String[][] {{"KB", "1024"}, {"MB", "1048576"}, {"GB", "1073741824"}}) {
      if (t.endsWith(u[0])) {
        unit = Long.parseLong(u[1]);
        t = t.substring(0, t.length() - 2).strip();
        break;
      }
    }
    if (t.endsWith("B")) {
      t = t.substring(0, t.length() - 1).strip();
    }
    try {
      long n = Long.parseLong(t);
      if (n < 0 || n > Long.MAX_VALUE / unit) {
        throw new NumberFormatException();
      }
      return n * unit;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + text.strip() + "' is not a size like 50MB, 512KB or 1GB");
    }
  }
}

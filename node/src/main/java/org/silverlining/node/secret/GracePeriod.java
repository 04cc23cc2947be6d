package org.silverlining.node.secret;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long retired keys stay valid after a rotation, written as {@code 7d}, {@code 12h}, {@code
 * 30m}, {@code 45s} or {@code 0}.
 */
public final class GracePeriod {
  /** The grace of {@code silver secret rotate} without {@code --grace}. */
  public static final Duration DEFAULT = Duration.ofDays(7);

  /** The longest grace accepted: a retired key should not outlive a year. */
  public static final Duration MAX = Duration.ofDays(366);

  private static final Pattern FORM = Pattern.compile("(\\d{1,9})([smhd]?)");

  private GracePeriod() {}

  /**
   * The duration {@code text} names.
   *
   * @throws IllegalArgumentException saying what is wrong and what is accepted
   */
  public static Duration parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT));
    if (!m.matches() || (m.group(2).isEmpty() && Long.parseLong(m.group(1)) != 0)) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a grace period: give a number with a unit, e.g. 7d, 12h, 30m, 45s, or 0");
    }
    long n = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "d" -> Duration.ofDays(n);
          case "h" -> Duration.ofHours(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofSeconds(n);
        };
    if (d.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(
          "a grace period of " + text + " is longer than the most accepted, 366d");
    }
    return d;
  }

  /** {@code d} in the form {@link #parse} reads, in the largest whole unit. */
  public static String format(Duration d) {
    long s = d.toSeconds();
    if (s == 0) {
      return "0";
    }
    if (s % 86400 == 0) {
      return s / 86400 + "d";
    }
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}

package org.silverlining.core;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A span of time as people write it in settings and options: {@code 45s}, {@code 10m}, {@code 24h},
 * {@code 7d} (a bare number is seconds).
 */
public final class TimeSpan {
  private static final Pattern FORM = Pattern.compile("(\\d{1,9})\\s*([smhd]?)");

  private TimeSpan() {}

  /**
   * The duration {@code text} names.
   *
   * @throws IllegalArgumentException saying what is accepted
   */
  public static Duration parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a span of time: give a number with a unit, e.g. 45s, 10m, 24h, 7d");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "d" -> Duration.ofDays(n);
      case "h" -> Duration.ofHours(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofSeconds(n);
    };
  }
}

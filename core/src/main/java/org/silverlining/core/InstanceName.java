package org.silverlining.core;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deployment's name, {@code APP.YYYYMMDD_NNN}: the app, the day, and that day's sequence number.
 */
public record InstanceName(String app, String day, int sequence)
    implements Comparable<InstanceName> {
  private static final Pattern FORM = Pattern.compile("([a-z][a-z0-9-]*)\\.(\\d{8})_(\\d{3,})");
  private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

  public static InstanceName parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an instance name like hello.20261126_001");
    }
    return new InstanceName(m.group(1), m.group(2), Integer.parseInt(m.group(3)));
  }

  public static boolean isInstanceName(String text) {
    return FORM.matcher(text).matches();
  }

  /** The first name of {@code app} on {@code date}. */
  public static InstanceName first(String app, LocalDate date) {
    return new InstanceName(app, date.format(DAY), 1);
  }

  /**
   * The name after {@code latest} on {@code date}: the next number that day, or 001 on a new day.
   */
  public static InstanceName next(String app, LocalDate date, InstanceName latest) {
    String day = date.format(DAY);
    if (latest != null && latest.day.equals(day)) {
      return new InstanceName(app, day, latest.sequence + 1);
    }
    return new InstanceName(app, day, 1);
  }

  /** Oldest first: by day, then sequence; the app name only breaks ties, to agree with equals. */
  @Override
  public int compareTo(InstanceName o) {
    int c = day.compareTo(o.day);
    if (c == 0) {
      c = Integer.compare(sequence, o.sequence);
    }
    return c != 0 ? c : app.compareTo(o.app);
  }

  /** The deployment's version, the name without the app: {@code YYYYMMDD_NNN}. */
  public String version() {
    return day + "_" + String.format("%03d", sequence);
  }

  @Override
  public String toString() {
    return app + "." + version();
  }
}

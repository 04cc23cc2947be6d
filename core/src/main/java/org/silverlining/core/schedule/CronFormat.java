package org.silverlining.core.schedule;

import java.time.ZoneId;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Five-field cron ({@code minute hour day-of-month month day-of-week}) and the macros {@code
 * @yearly @annually @monthly @weekly @daily @midnight @hourly}. Fields take {@code *}, numbers,
 * ranges {@code a-b}, steps {@code *}{@code /n} and {@code a-b/n}, and comma lists; months and
 * weekdays also take English names ({@code jan}, {@code mon}), and 7 is Sunday as well as 0.
 */
final class CronFormat implements Schedule.ScheduleFormat {
  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");

  private static final List<String> MONTHS =
      List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
  private static final List<String> WEEKDAYS =
      List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");

  /** The longest month each month can have; February counts 29 so leap days are allowed. */
  private static final int[] MONTH_LENGTH = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

  @Override
  public boolean claims(String text) {
    // English schedules always contain HH:MM or start with "every"; cron fields never do.
    return text.startsWith("@")
        || (!text.contains(":")
            && !text.startsWith("every")
            && (text.contains("*") || text.split("\\s+").length == 5));
  }

  @Override
  public Schedule parse(String text, ZoneId zone) {
    String spec = text;
    if (text.startsWith("@")) {
      spec = MACROS.get(text.toLowerCase(Locale.ROOT));
      if (spec == null) {
        throw new IllegalArgumentException(
            "unknown macro; use one of @yearly, @annually, @monthly, @weekly, @daily, @midnight,"
                + " @hourly");
      }
    }
    String[] f = spec.split("\\s+");
    if (f.length != 5) {
      throw new IllegalArgumentException(
          "a cron spec has 5 fields (minute hour day-of-month month day-of-week), this has "
              + f.length);
    }
    BitSet minutes = field(f[0], "minute", 0, 59, List.of());
    BitSet hours = field(f[1], "hour", 0, 23, List.of());
    BitSet days = field(f[2], "day-of-month", 1, 31, List.of());
    BitSet months = field(f[3], "month", 1, 12, MONTHS);
    BitSet weekdays = field(f[4], "day-of-week", 0, 7, WEEKDAYS);
    if (weekdays.get(7)) {
      weekdays.set(0);
      weekdays.clear(7);
    }
    boolean daysStar = f[2].startsWith("*");
    boolean weekdaysStar = f[4].startsWith("*");
    // With day-of-week unrestricted only the days of the month count: some month must have one.
    if (weekdaysStar || daysStar) {
      int smallestDay = days.nextSetBit(1);
      boolean possible = false;
      for (int m = months.nextSetBit(1); m >= 0; m = months.nextSetBit(m + 1)) {
        possible |= smallestDay <= MONTH_LENGTH[m];
      }
      if (!possible) {
        throw new IllegalArgumentException(
            "day " + smallestDay + " never occurs in the months given, so it would never run");
      }
    }
    return new CronSchedule(
        text,
        zone,
        minutes,
        hours,
        days,
        months,
        weekdays,
        daysStar,
        weekdaysStar,
        f[0].startsWith("*") || f[1].startsWith("*"));
  }

  private static BitSet field(String text, String name, int min, int max, List<String> names) {
    BitSet set = new BitSet(max + 1);
    for (String item : text.split(",", -1)) {
      String range = item;
      int step = 1;
      int slash = item.indexOf('/');
      if (slash >= 0) {
        range = item.substring(0, slash);
        step = number(item.substring(slash + 1), name, 1, max, List.of(), item);
        if (!range.equals("*") && !range.contains("-")) {
          throw new IllegalArgumentException(
              "the " + name + " step '" + item + "' needs a range: use */n or a-b/n");
        }
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = min;
        to = names.equals(WEEKDAYS) ? 6 : max;
      } else {
        int dash = range.indexOf('-');
        from = number(dash < 0 ? range : range.substring(0, dash), name, min, max, names, item);
        to = dash < 0 ? from : number(range.substring(dash + 1), name, min, max, names, item);
        if (from > to) {
          throw new IllegalArgumentException(
              "the " + name + " range '" + item + "' runs backwards; write it low-high");
        }
      }
      for (int v = from; v <= to; v += step) {
        set.set(v);
      }
    }
    return set;
  }

  private static int number(
      String s, String name, int min, int max, List<String> names, String item) {
    int byName = names.indexOf(s.toLowerCase(Locale.ROOT));
    if (byName >= 0) {
      return names == MONTHS ? byName + 1 : byName;
    }
    if (!s.matches("\\d{1,2}")) {
      throw new IllegalArgumentException(
          "'" + item + "' is not a valid " + name + " (" + min + "-" + max + describe(names) + ")");
    }
    int v = Integer.parseInt(s);
    if (v < min || v > max) {
      throw new IllegalArgumentException(
          "the " + name + " " + v + " is out of range " + min + "-" + max);
    }
    return v;
  }

  private static String describe(List<String> names) {
    return names.isEmpty() ? "" : " or " + names.get(0) + "-" + names.get(names.size() - 1);
  }
}

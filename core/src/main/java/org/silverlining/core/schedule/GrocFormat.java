package org.silverlining.core.schedule;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * App Engine's English schedules (the Groc grammar of cron.yaml), exactly: {@code every N
 * hours|mins|minutes [from HH:MM to HH:MM | synchronized]}, and {@code (every|ORD,…)
 * (day|WEEKDAY,…) [of (month|MONTH,…|quarter|ORD,… month of quarter)] HH:MM} or {@code DAY,… of
 * (month|MONTH,…) HH:MM}. Keywords are lower case; weekdays and months may be abbreviated to three
 * letters.
 */
final class GrocFormat implements Schedule.ScheduleFormat {
  private static final Pattern TOKEN = Pattern.compile("\\d{1,2}:\\d\\d|[a-z0-9]+|,|\\S");
  private static final Pattern TIME = Pattern.compile("([01]?\\d|2[0-3]):([0-5]\\d)");
  private static final List<String> ORDINALS =
      List.of("1st|first", "2nd|second", "3rd|third", "4th|fourth", "5th|fifth");
  private static final List<String> WEEKDAYS =
      List.of(
          "mon|monday",
          "tue|tuesday",
          "wed|wednesday",
          "thu|thursday",
          "fri|friday",
          "sat|saturday",
          "sun|sunday");
  private static final List<String> MONTHS =
      List.of(
          "jan|january",
          "feb|february",
          "mar|march",
          "apr|april",
          "may",
          "jun|june",
          "jul|july",
          "aug|august",
          "sep|september",
          "oct|october",
          "nov|november",
          "dec|december");
  private static final int[] MONTH_LENGTH = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  private static final int MINUTES_PER_DAY = 24 * 60;

  @Override
  public boolean claims(String text) {
    return true;
  }

  @Override
  public Schedule parse(String text, ZoneId zone) {
    if (!text.equals(text.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("App Engine schedules are written in lower case");
    }
    Tokens t = new Tokens(text);
    if (t.peek("every") && t.peekAt(1).matches("min|mins|minute|minutes|hour|hours")) {
      throw new IllegalArgumentException(
          "an interval needs a number, e.g. every 1 minutes (App Engine has no 'every "
              + t.peekAt(1)
              + "')");
    }
    if (t.peek("every") && t.peekAt(1).matches("\\d+")) {
      return interval(t, text, zone);
    }
    return calendar(t, text, zone);
  }

  private static Schedule interval(Tokens t, String text, ZoneId zone) {
    t.expect("every");
    String n = t.next("a number");
    if (n.length() > 5 || Integer.parseInt(n) == 0) {
      throw new IllegalArgumentException("the interval must be a number from 1 to 99999");
    }
    String unit = t.next("hours or minutes");
    Duration step =
        switch (unit) {
          case "hours" -> Duration.ofHours(Integer.parseInt(n));
          case "mins", "minutes" -> Duration.ofMinutes(Integer.parseInt(n));
          case "hour", "min", "minute" ->
              throw new IllegalArgumentException(
                  "the unit is always plural: every " + n + " hours, every " + n + " minutes");
          default ->
              throw new IllegalArgumentException(
                  "'"
                      + unit
                      + "' is not an interval unit; use hours or minutes (every day HH:MM for days)");
        };
    if (t.done()) {
      return new IntervalSchedule(text, zone, step);
    }
    if (t.peek("synchronized")) {
      t.next("synchronized");
      t.expectEnd();
      long minutes = step.toMinutes();
      if (minutes > MINUTES_PER_DAY || MINUTES_PER_DAY % minutes != 0) {
        throw new IllegalArgumentException(
            "a synchronized interval must divide 24 hours evenly (e.g. every 4 hours synchronized)");
      }
      return new WindowSchedule(text, zone, LocalTime.MIDNIGHT, LocalTime.of(23, 59), step);
    }
    t.expect("from");
    LocalTime start = time(t.next("a start time HH:MM"));
    t.expect("to");
    LocalTime end = time(t.next("an end time HH:MM"));
    t.expectEnd();
    return new WindowSchedule(text, zone, start, end, step);
  }

  private static Schedule calendar(Tokens t, String text, ZoneId zone) {
    Set<Integer> ordinals = new TreeSet<>();
    Set<DayOfWeek> weekdays = new TreeSet<>();
    Set<Integer> monthdays = new TreeSet<>();
    if (t.peekAt(0).matches("\\d+")) {
      do {
        String d = t.next("a day of the month");
        int day = d.matches("\\d{1,2}") ? Integer.parseInt(d) : 0;
        if (day < 1 || day > 31) {
          throw new IllegalArgumentException("'" + d + "' is not a day of the month (1-31)");
        }
        monthdays.add(day);
      } while (t.comma());
      if (!t.peek("of")) {
        throw new IllegalArgumentException(
            "days of the month need 'of month' or months, e.g. 1,15 of month 02:00");
      }
    } else {
      if (t.peek("every")) {
        t.next("every");
      } else {
        do {
          ordinals.add(1 + index(ORDINALS, t.next("an ordinal such as 1st"), "an ordinal"));
        } while (t.comma());
      }
      if (t.peek("day")) {
        t.next("day");
        if (ordinals.isEmpty()) {
          weekdays.addAll(List.of(DayOfWeek.values()));
        } else {
          // As in App Engine, "1st,3rd day" means days 1 and 3 of the month.
          monthdays.addAll(ordinals);
          ordinals.clear();
        }
      } else {
        do {
          weekdays.add(DayOfWeek.of(1 + index(WEEKDAYS, t.next("a weekday"), "a weekday")));
        } while (t.comma());
      }
      if (weekdays.size() > 0 && ordinals.isEmpty()) {
        ordinals.addAll(List.of(1, 2, 3, 4, 5));
      }
    }
    Set<Integer> months = new TreeSet<>(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
    if (t.peek("of")) {
      t.next("of");
      months = months(t);
    }
    LocalTime time = time(t.next("a time HH:MM"));
    t.expectEnd();
    if (!monthdays.isEmpty()) {
      int smallest = monthdays.iterator().next();
      if (months.stream().noneMatch(m -> smallest <= MONTH_LENGTH[m])) {
        throw new IllegalArgumentException(
            "day " + smallest + " never occurs in the months given, so it would never run");
      }
    }
    return new CalendarSchedule(text, zone, months, monthdays, ordinals, weekdays, time);
  }

  private static Set<Integer> months(Tokens t) {
    Set<Integer> months = new TreeSet<>();
    if (t.peek("month")) {
      t.next("month");
      months.addAll(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
    } else if (t.peek("quarter")) {
      t.next("quarter");
      months.addAll(List.of(1, 4, 7, 10));
    } else if (ORDINALS.stream().anyMatch(o -> t.peekAt(0).matches(o))) {
      do {
        int offset = index(ORDINALS.subList(0, 3), t.next("1st, 2nd or 3rd"), "1st, 2nd or 3rd");
        for (int first : List.of(1, 4, 7, 10)) {
          months.add(first + offset);
        }
      } while (t.comma());
      t.expect("month");
      t.expect("of");
      t.expect("quarter");
    } else {
      do {
        months.add(1 + index(MONTHS, t.next("a month"), "a month"));
      } while (t.comma());
    }
    return months;
  }

  private static int index(List<String> alternatives, String word, String what) {
    for (int i = 0; i < alternatives.size(); i++) {
      if (word.matches(alternatives.get(i))) {
        return i;
      }
    }
    throw new IllegalArgumentException("'" + word + "' is not " + what);
  }

  private static LocalTime time(String s) {
    Matcher m = TIME.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + s + "' is not a time from 00:00 to 23:59");
    }
    return LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  /** The words of a schedule, read left to right. */
  private static final class Tokens {
    private final List<String> words = new ArrayList<>();
    private int pos;

    Tokens(String text) {
      Matcher m = TOKEN.matcher(text);
      while (m.find()) {
        words.add(m.group());
      }
    }

    boolean done() {
      return pos >= words.size();
    }

    String peekAt(int ahead) {
      return pos + ahead < words.size() ? words.get(pos + ahead) : "";
    }

    boolean peek(String word) {
      return peekAt(0).equals(word);
    }

    String next(String what) {
      if (done()) {
        throw new IllegalArgumentException("it ends where " + what + " should follow");
      }
      return words.get(pos++);
    }

    void expect(String word) {
      String got = next("'" + word + "'");
      if (!got.equals(word)) {
        throw new IllegalArgumentException("expected '" + word + "' but found '" + got + "'");
      }
    }

    boolean comma() {
      if (peek(",")) {
        pos++;
        return true;
      }
      return false;
    }

    void expectEnd() {
      if (!done()) {
        throw new IllegalArgumentException("unexpected '" + peekAt(0) + "' at the end");
      }
    }
  }
}

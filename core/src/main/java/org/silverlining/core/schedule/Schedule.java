package org.silverlining.core.schedule;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * When a cron job runs: App Engine's English schedules ({@code every 5 minutes}, {@code every day
 * 03:00}, {@code 1st,3rd monday of month 09:00}), 5-field cron ({@code *}{@code /5 * * * *}) or a
 * cron macro ({@code @daily}), evaluated in one time zone.
 *
 * <p>Interval schedules without a window ({@code every 2 hours}) count from the previous run, as
 * App Engine does: {@code next(after)} is {@code after}, truncated to the minute, plus the
 * interval. Pass the start of the previous run as {@code after}; the schedule therefore drifts by
 * the time it takes to notice a due run. {@code synchronized} and {@code from HH:MM to HH:MM}
 * schedules, and all calendar forms, are anchored to wall-clock times instead.
 *
 * <p>Daylight saving time, for wall-clock schedules: a wall time that does not exist (02:30 on the
 * spring-forward day in Europe/Berlin) runs once, shifted forward by the length of the gap (03:30);
 * a wall time that occurs twice on fall-back runs once, at its first occurrence. Cron specs whose
 * minute or hour field starts with {@code *} (and {@code @hourly}) follow the clock instead, as
 * Vixie cron does: they run at every matching instant, so they run in both passes of a repeated
 * hour and not at all at wall times that do not exist.
 */
public interface Schedule {
  /** Examples quoted by every parse error. */
  String EXAMPLES = "e.g. every 5 minutes, every day 03:00, */5 * * * *";

  /** The first run strictly after {@code after}, in this schedule's zone, at a whole minute. */
  ZonedDateTime next(ZonedDateTime after);

  /** The schedule as written. */
  String text();

  /** The zone wall-clock times are read in. */
  ZoneId zone();

  /**
   * Parses {@code text} in {@code zone}.
   *
   * @throws IllegalArgumentException quoting the text, saying what is wrong and giving examples
   */
  static Schedule parse(String text, ZoneId zone) {
    String t = text == null ? "" : text.strip();
    try {
      if (t.isEmpty()) {
        throw new IllegalArgumentException("it is empty");
      }
      for (ScheduleFormat format : ScheduleFormat.ALL) {
        if (format.claims(t)) {
          return format.parse(t, zone);
        }
      }
      throw new IllegalArgumentException("it is neither an App Engine schedule nor a cron spec");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "schedule '" + t + "' is not valid: " + e.getMessage() + " (" + EXAMPLES + ")", e);
    }
  }

  /** One schedule syntax; {@link Schedule#parse} asks each in turn whether the text is its own. */
  interface ScheduleFormat {
    /** The formats, in the order they are asked: cron first, English as the fallback. */
    List<ScheduleFormat> ALL = List.of(new CronFormat(), new GrocFormat());

    /** True when {@code text} is meant to be in this format (it may still be invalid). */
    boolean claims(String text);

    /** Parses text this format claims; an {@link IllegalArgumentException} says what is wrong. */
    Schedule parse(String text, ZoneId zone);
  }
}

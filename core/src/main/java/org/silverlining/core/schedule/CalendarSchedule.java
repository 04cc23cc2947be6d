package org.silverlining.core.schedule;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;

/**
 * An App Engine calendar schedule: at one time of day on listed days of the month, or on the listed
 * occurrences of listed weekdays (the Nth weekday falls on days 7(N−1)+1 … 7N), in listed months.
 * Days that a month does not have are skipped.
 *
 * <p>App Engine skips a run whose wall time does not exist (spring forward); we run it once,
 * shifted by the gap, so that a daily job never loses a day.
 */
final class CalendarSchedule extends WallClockSchedule {
  private final Set<Integer> months;
  private final Set<Integer> monthdays;
  private final Set<Integer> ordinals;
  private final Set<DayOfWeek> weekdays;
  private final LocalTime time;

  CalendarSchedule(
      String text,
      ZoneId zone,
      Set<Integer> months,
      Set<Integer> monthdays,
      Set<Integer> ordinals,
      Set<DayOfWeek> weekdays,
      LocalTime time) {
    super(text, zone);
    this.months = Set.copyOf(months);
    this.monthdays = Set.copyOf(monthdays);
    this.ordinals = Set.copyOf(ordinals);
    this.weekdays = Set.copyOf(weekdays);
    this.time = time;
  }

  @Override
  boolean followsClock() {
    return false;
  }

  @Override
  LocalDateTime firstMatchFrom(LocalDateTime from) {
    LocalDate day = from.toLocalDate();
    if (from.toLocalTime().isAfter(time)) {
      day = day.plusDays(1);
    }
    for (int i = 0; i < HORIZON_DAYS; i++, day = day.plusDays(1)) {
      if (matches(day)) {
        return day.atTime(time);
      }
    }
    return null;
  }

  private boolean matches(LocalDate d) {
    if (!months.contains(d.getMonthValue())) {
      return false;
    }
    if (!monthdays.isEmpty()) {
      return monthdays.contains(d.getDayOfMonth());
    }
    return weekdays.contains(d.getDayOfWeek())
        && ordinals.contains((d.getDayOfMonth() - 1) / 7 + 1);
  }
}

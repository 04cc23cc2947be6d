package org.silverlining.core.schedule;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.BitSet;

/**
 * A parsed 5-field cron spec. A day matches when its month matches and, as in Vixie cron, both its
 * day of month and its day of week match when either field starts with {@code *}, or either one
 * matches when both are restricted.
 */
final class CronSchedule extends WallClockSchedule {
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet days;
  private final BitSet months;
  private final BitSet weekdays;
  private final boolean daysStar;
  private final boolean weekdaysStar;
  private final boolean followsClock;

  CronSchedule(
      String text,
      ZoneId zone,
      BitSet minutes,
      BitSet hours,
      BitSet days,
      BitSet months,
      BitSet weekdays,
      boolean daysStar,
      boolean weekdaysStar,
      boolean followsClock) {
    super(text, zone);
    this.minutes = minutes;
    this.hours = hours;
    this.days = days;
    this.months = months;
    this.weekdays = weekdays;
    this.daysStar = daysStar;
    this.weekdaysStar = weekdaysStar;
    this.followsClock = followsClock;
  }

  @Override
  boolean followsClock() {
    return followsClock;
  }

  /** True when the wall-clock minute {@code t} matches all five fields. */
  boolean matches(LocalDateTime t) {
    return dayMatches(t.toLocalDate()) && hours.get(t.getHour()) && minutes.get(t.getMinute());
  }

  @Override
  LocalDateTime firstMatchFrom(LocalDateTime from) {
    LocalDate day = from.toLocalDate();
    int hour = from.getHour();
    int minute = from.getMinute();
    for (int i = 0; i < HORIZON_DAYS; i++) {
      if (dayMatches(day)) {
        for (int h = hours.nextSetBit(hour); h >= 0; h = hours.nextSetBit(h + 1)) {
          int m = minutes.nextSetBit(h == hour ? minute : 0);
          if (m >= 0) {
            return day.atTime(LocalTime.of(h, m));
          }
        }
      }
      day = day.plusDays(1);
      hour = 0;
      minute = 0;
    }
    return null;
  }

  private boolean dayMatches(LocalDate d) {
    if (!months.get(d.getMonthValue())) {
      return false;
    }
    boolean day = days.get(d.getDayOfMonth());
    boolean weekday = weekdays.get(d.getDayOfWeek().getValue() % 7);
    return daysStar || weekdaysStar ? day && weekday : day || weekday;
  }
}

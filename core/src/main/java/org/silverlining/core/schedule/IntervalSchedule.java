package org.silverlining.core.schedule;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * {@code every N minutes|hours}: counted from the previous run, as in App Engine. {@code
 * next(after)} is {@code after} truncated to the minute plus the interval, measured on the clock
 * (so daylight saving time never lengthens or shortens it).
 */
final class IntervalSchedule implements Schedule {
  private final String text;
  private final ZoneId zone;
  private final Duration interval;

  IntervalSchedule(String text, ZoneId zone, Duration interval) {
    this.text = text;
    this.zone = zone;
    this.interval = interval;
  }

  @Override
  public ZonedDateTime next(ZonedDateTime after) {
    return after.withZoneSameInstant(zone).truncatedTo(ChronoUnit.MINUTES).plus(interval);
  }

  /** The time between runs. */
  Duration interval() {
    return interval;
  }

  @Override
  public String text() {
    return text;
  }

  @Override
  public ZoneId zone() {
    return zone;
  }

  @Override
  public String toString() {
    return text;
  }
}

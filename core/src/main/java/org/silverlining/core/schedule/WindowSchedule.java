package org.silverlining.core.schedule;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * {@code every N minutes|hours from A to B} and {@code … synchronized} (A = 00:00, B = 23:59): runs
 * at the wall times A, A + N, A + 2N … up to and including B, every day. When B is before A the
 * window ends on the next day.
 */
final class WindowSchedule extends WallClockSchedule {
  private final LocalTime start;
  private final LocalTime end;
  private final Duration step;

  WindowSchedule(String text, ZoneId zone, LocalTime start, LocalTime end, Duration step) {
    super(text, zone);
    this.start = start;
    this.end = end;
    this.step = step;
  }

  @Override
  boolean followsClock() {
    return false;
  }

  @Override
  LocalDateTime firstMatchFrom(LocalDateTime from) {
    // The window that opened yesterday may still be open when it crosses midnight.
    for (LocalDate day = from.toLocalDate().minusDays(1); ; day = day.plusDays(1)) {
      LocalDateTime open = day.atTime(start);
      LocalDateTime close = (end.isBefore(start) ? day.plusDays(1) : day).atTime(end);
      if (close.isBefore(from)) {
        continue;
      }
      long behind = Duration.between(open, from).toMinutes();
      long steps = behind <= 0 ? 0 : (behind + step.toMinutes() - 1) / step.toMinutes();
      LocalDateTime run = open.plusMinutes(steps * step.toMinutes());
      if (!run.isAfter(close)) {
        return run;
      }
    }
  }
}

package org.silverlining.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.silverlining.core.schedule.ScheduleTest.runs;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** Europe/Berlin springs forward 2024-03-31 02:00→03:00 and falls back 2024-10-27 03:00→02:00. */
class DaylightSavingTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static ZonedDateTime berlin(String local) {
    return LocalDateTime.parse(local).atZone(BERLIN);
  }

  private static String instant(String schedule, ZonedDateTime after) {
    return Schedule.parse(schedule, BERLIN).next(after).toOffsetDateTime().toString();
  }

  @Test
  void aDailyRunAtAWallTimeThatDoesNotExistRunsOnceShiftedByTheGap() {
    assertThat(runs("every day 02:30", BERLIN, berlin("2024-03-30T12:00"), 3))
        .containsExactly("2024-03-31T03:30", "2024-04-01T02:30", "2024-04-02T02:30");
    assertThat(runs("30 2 * * *", BERLIN, berlin("2024-03-30T12:00"), 3))
        .containsExactly("2024-03-31T03:30", "2024-04-01T02:30", "2024-04-02T02:30");
  }

  @Test
  void aDailyRunAtARepeatedWallTimeRunsOnceAtItsFirstOccurrence() {
    for (String schedule : new String[] {"every day 02:30", "30 2 * * *"}) {
      ZonedDateTime first = Schedule.parse(schedule, BERLIN).next(berlin("2024-10-26T12:00"));
      assertThat(first.toOffsetDateTime()).hasToString("2024-10-27T02:30+02:00");

      assertThat(instant(schedule, first)).isEqualTo("2024-10-28T02:30+01:00");
    }
  }

  @Test
  void aWildcardCronSpecFollowsTheClockThroughBothPassesOfTheRepeatedHour() {
    ZonedDateTime t = berlin("2024-10-27T01:30");
    StringBuilder seen = new StringBuilder();
    Schedule s = Schedule.parse("*/30 * * * *", BERLIN);
    for (int i = 0; i < 6; i++) {
      t = s.next(t);
      seen.append(t.toOffsetDateTime()).append(' ');
    }
    assertThat(seen.toString().strip())
        .isEqualTo(
            "2024-10-27T02:00+02:00 2024-10-27T02:30+02:00 2024-10-27T02:00+01:00"
                + " 2024-10-27T02:30+01:00 2024-10-27T03:00+01:00 2024-10-27T03:30+01:00");
  }

  @Test
  void aWildcardCronSpecDoesNotRunAtWallTimesThatDoNotExist() {
    assertThat(runs("*/30 * * * *", BERLIN, berlin("2024-03-31T01:00"), 3))
        .containsExactly("2024-03-31T01:30", "2024-03-31T03:00", "2024-03-31T03:30");
  }

  @Test
  void hourlyRunsEveryHourOfTheClockOnBothChangeDays() {
    assertThat(runs("@hourly", BERLIN, berlin("2024-03-31T01:00"), 2))
        .containsExactly("2024-03-31T03:00", "2024-03-31T04:00");
    ZonedDateTime t = Schedule.parse("@hourly", BERLIN).next(berlin("2024-10-27T01:30"));
    assertThat(t.toOffsetDateTime()).hasToString("2024-10-27T02:00+02:00");
    assertThat(instant("@hourly", t)).isEqualTo("2024-10-27T02:00+01:00");
  }

  @Test
  void aWindowRunsEachWallTimeOnceAcrossTheFallBack() {
    ZonedDateTime t = berlin("2024-10-27T01:00");
    StringBuilder seen = new StringBuilder();
    Schedule s = Schedule.parse("every 1 hours synchronized", BERLIN);
    for (int i = 0; i < 3; i++) {
      t = s.next(t);
      seen.append(t.toOffsetDateTime()).append(' ');
    }
    assertThat(seen.toString().strip())
        .isEqualTo("2024-10-27T02:00+02:00 2024-10-27T03:00+01:00 2024-10-27T04:00+01:00");
  }

  @Test
  void aWindowRunsOnceAtTheShiftedTimeOnTheSpringForward() {
    assertThat(runs("every 1 hours synchronized", BERLIN, berlin("2024-03-31T00:30"), 3))
        .containsExactly("2024-03-31T01:00", "2024-03-31T03:00", "2024-03-31T04:00");
  }

  @Test
  void anIntervalIsMeasuredOnTheClockAcrossAChange() {
    ZonedDateTime t = Schedule.parse("every 1 hours", BERLIN).next(berlin("2024-10-27T02:30"));
    assertThat(t.toOffsetDateTime()).hasToString("2024-10-27T02:30+01:00");
    assertThat(runs("every 1 hours", BERLIN, berlin("2024-03-31T01:30"), 1))
        .containsExactly("2024-03-31T03:30");
  }
}

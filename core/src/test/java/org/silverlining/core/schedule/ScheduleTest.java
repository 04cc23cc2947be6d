package org.silverlining.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleTest {
  private static final ZoneId UTC = ZoneOffset.UTC;

  static ZonedDateTime utc(String localDateTime) {
    return LocalDateTime.parse(localDateTime).atZone(UTC);
  }

  /** The next {@code n} runs after {@code start}, as local date-times. */
  static List<String> runs(String schedule, ZoneId zone, ZonedDateTime start, int n) {
    Schedule s = Schedule.parse(schedule, zone);
    List<String> out = new ArrayList<>();
    ZonedDateTime t = start;
    for (int i = 0; i < n; i++) {
      t = s.next(t);
      out.add(t.toLocalDateTime().toString());
    }
    return out;
  }

  // 2024-03-06 is a Wednesday.
  @ParameterizedTest(name = "{0} after {1} runs at {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "every 5 minutes                     | 2024-03-06T10:00:30 | 2024-03-06T10:05",
        "every 5 mins                        | 2024-03-06T10:03    | 2024-03-06T10:08",
        "every 24 hours                      | 2024-03-06T10:03    | 2024-03-07T10:03",
        "every 2 hours from 10:00 to 14:00   | 2024-03-06T09:00    | 2024-03-06T10:00",
        "every 2 hours from 10:00 to 14:00   | 2024-03-06T10:00    | 2024-03-06T12:00",
        "every 2 hours from 10:00 to 14:00   | 2024-03-06T13:59    | 2024-03-06T14:00",
        "every 2 hours from 10:00 to 14:00   | 2024-03-06T14:00    | 2024-03-07T10:00",
        "every 45 minutes from 10:00 to 11:00| 2024-03-06T10:45    | 2024-03-07T10:00",
        "every 3 hours from 22:00 to 02:00   | 2024-03-06T23:00    | 2024-03-07T01:00",
        "every 3 hours from 22:00 to 02:00   | 2024-03-07T01:00    | 2024-03-07T22:00",
        "every 2 hours synchronized          | 2024-03-06T09:17    | 2024-03-06T10:00",
        "every 2 hours synchronized          | 2024-03-06T22:00    | 2024-03-07T00:00",
        "every 20 minutes synchronized       | 2024-03-06T23:59    | 2024-03-07T00:00",
        "every day 03:00                     | 2024-03-06T02:59    | 2024-03-06T03:00",
        "every day 03:00                     | 2024-03-06T03:00    | 2024-03-07T03:00",
        "every day 3:00                      | 2024-03-06T03:00    | 2024-03-07T03:00",
        "every monday,friday 09:00           | 2024-03-06T10:00    | 2024-03-08T09:00",
        "every mon 09:00                     | 2024-03-06T10:00    | 2024-03-11T09:00",
        "every wed, sunday 09:00             | 2024-03-06T10:00    | 2024-03-10T09:00",
        "1st,3rd monday of month 09:00       | 2024-03-06T10:00    | 2024-03-18T09:00",
        "1st,3rd monday 09:00                | 2024-03-18T09:00    | 2024-04-01T09:00",
        "first monday of month 09:00         | 2024-03-06T10:00    | 2024-04-01T09:00",
        "2nd,third mon,wed,thu of sep,oct,nov 17:00 | 2024-03-06T10:00 | 2024-09-09T17:00",
        "every wed,fri of jan,jun 13:15      | 2024-03-06T10:00    | 2024-06-05T13:15",
        "5th friday of month 12:00           | 2024-03-06T10:00    | 2024-03-29T12:00",
        "5th friday of month 12:00           | 2024-03-29T12:00    | 2024-05-31T12:00",
        "1,15 of month 02:00                 | 2024-03-06T10:00    | 2024-03-15T02:00",
        "31 of month 02:00                   | 2024-04-01T00:00    | 2024-05-31T02:00",
        "29 of feb 00:00                     | 2024-03-01T00:00    | 2028-02-29T00:00",
        "1st day of month 06:00              | 2024-03-06T10:00    | 2024-04-01T06:00",
        "first sunday of quarter 00:00       | 2024-03-06T10:00    | 2024-04-07T00:00",
        "1st monday of 2nd month of quarter 08:00 | 2024-03-06T10:00 | 2024-05-06T08:00",
        "*/5 * * * *                         | 2024-03-06T10:02:59 | 2024-03-06T10:05",
        "0 9 * * mon-fri                     | 2024-03-08T09:00    | 2024-03-11T09:00",
        "30 4 1,15 * 5                       | 2024-03-06T10:00    | 2024-03-08T04:30",
        "0 0 13 * fri                        | 2024-09-01T00:00    | 2024-09-06T00:00",
        "0 0 */10 * *                        | 2024-03-06T10:00    | 2024-03-11T00:00",
        "15 10-20/5 * JAN-mar,dec SUN        | 2024-03-06T10:00    | 2024-03-10T10:15",
        "0 0 * * 7                           | 2024-03-06T10:00    | 2024-03-10T00:00",
        "0 0 29 2 *                          | 2024-03-01T00:00    | 2028-02-29T00:00",
        "@yearly                             | 2024-03-06T10:00    | 2025-01-01T00:00",
        "@annually                           | 2024-03-06T10:00    | 2025-01-01T00:00",
        "@monthly                            | 2024-03-06T10:00    | 2024-04-01T00:00",
        "@weekly                             | 2024-03-06T10:00    | 2024-03-10T00:00",
        "@daily                              | 2024-03-06T10:00    | 2024-03-07T00:00",
        "@midnight                           | 2024-03-06T10:00    | 2024-03-07T00:00",
        "@hourly                             | 2024-03-06T10:00    | 2024-03-06T11:00",
      })
  void nextIsTheFirstRunStrictlyAfter(String schedule, String after, String expected) {
    ZonedDateTime next = Schedule.parse(schedule, UTC).next(utc(after));

    assertThat(next).isEqualTo(utc(expected));
  }

  @Test
  void intervalsCountFromThePreviousRunTruncatedToTheMinute() {
    assertThat(runs("every 90 minutes", UTC, utc("2024-03-06T23:10:45"), 3))
        .containsExactly("2024-03-07T00:40", "2024-03-07T02:10", "2024-03-07T03:40");
  }

  @Test
  void aWindowIncludesItsEndTime() {
    assertThat(runs("every 2 hours from 10:00 to 14:00", UTC, utc("2024-03-06T00:00"), 4))
        .containsExactly(
            "2024-03-06T10:00", "2024-03-06T12:00", "2024-03-06T14:00", "2024-03-07T10:00");
  }

  @Test
  void theDayOfMonthAndDayOfWeekOfACronSpecAreEitherWhenBothAreRestricted() {
    // The 13th (a Wednesday in March 2024) or any Friday.
    assertThat(runs("0 0 13 * fri", UTC, utc("2024-03-01T00:00"), 4))
        .containsExactly(
            "2024-03-08T00:00", "2024-03-13T00:00", "2024-03-15T00:00", "2024-03-22T00:00");
  }

  @Test
  void nextIsGivenInTheSchedulesZoneWhateverTheZoneOfTheArgument() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    Schedule s = Schedule.parse("every day 09:00", berlin);

    ZonedDateTime next = s.next(utc("2024-07-01T08:00"));

    assertThat(next.getZone()).isEqualTo(berlin);
    assertThat(next.toLocalDateTime()).hasToString("2024-07-02T09:00");
    assertThat(s.text()).isEqualTo("every day 09:00");
    assertThat(s.zone()).isEqualTo(berlin);
  }

  @Test
  void theTextIsKeptAsWritten() {
    assertThat(Schedule.parse("  @daily ", UTC).text()).isEqualTo("@daily");
    assertThat(Schedule.parse("*/5 * * * *", UTC)).hasToString("*/5 * * * *");
  }
}

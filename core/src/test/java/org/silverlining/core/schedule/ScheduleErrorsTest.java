package org.silverlining.core.schedule;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleErrorsTest {
  @ParameterizedTest(name = "''{0}'' is rejected: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''                              | it is empty",
        "every minute                    | an interval needs a number, e.g. every 1 minutes",
        "every hour                      | no 'every hour'",
        "every 1 hour                    | the unit is always plural",
        "every 2 days                    | 'days' is not an interval unit",
        "every 30 seconds                | 'seconds' is not an interval unit",
        "every 0 minutes                 | from 1 to 99999",
        "every 123456 minutes            | from 1 to 99999",
        "every 7 hours synchronized      | divide 24 hours evenly",
        "every 25 hours synchronized     | divide 24 hours evenly",
        "every 5 minutes from 10:00      | 'to' should follow",
        "every 5 minutes from 10:00 to 24:00 | '24:00' is not a time",
        "Every day 03:00                 | lower case",
        "every day 3pm                   | '3pm' is not a time",
        "every day                       | a time HH:MM should follow",
        "every someday 03:00             | 'someday' is not a weekday",
        "6th monday of month 09:00       | '6th' is not an ordinal",
        "1st monday of foo 09:00         | 'foo' is not a month",
        "1st monday of month 09:00 daily | unexpected 'daily'",
        "30 of feb 00:00                 | day 30 never occurs",
        "32 of month 00:00               | '32' is not a day of the month",
        "1,15 02:00                      | need 'of month'",
        "*/5 * * *                       | has 5 fields",
        "60 * * * *                      | the minute 60 is out of range 0-59",
        "* 24 * * *                      | the hour 24 is out of range 0-23",
        "* * 0 * *                       | the day-of-month 0 is out of range 1-31",
        "* * * 13 *                      | the month 13 is out of range 1-12",
        "* * * * 8                       | the day-of-week 8 is out of range 0-7",
        "* * * foo *                     | 'foo' is not a valid month (1-12 or jan-dec)",
        "5-1 * * * *                     | runs backwards",
        "*/0 * * * *                     | out of range 1-59",
        "5/10 * * * *                    | needs a range",
        "0 0 31 2,4 *                    | day 31 never occurs",
        "@reboot                         | unknown macro",
      })
  void aBadScheduleIsRejectedWithTheTextTheProblemAndExamples(String text, String problem) {
    assertThatThrownBy(() -> Schedule.parse(text, ZoneOffset.UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("schedule '" + text + "' is not valid: ")
        .hasMessageContaining(problem)
        .hasMessageEndingWith("(e.g. every 5 minutes, every day 03:00, */5 * * * *)");
  }
}

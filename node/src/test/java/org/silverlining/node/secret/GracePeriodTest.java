package org.silverlining.node.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GracePeriodTest {
  @Test
  void readsDaysHoursMinutesSecondsAndZero() {
    assertThat(GracePeriod.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(GracePeriod.parse("12h")).isEqualTo(Duration.ofHours(12));
    assertThat(GracePeriod.parse("30m")).isEqualTo(Duration.ofMinutes(30));
    assertThat(GracePeriod.parse("45s")).isEqualTo(Duration.ofSeconds(45));
    assertThat(GracePeriod.parse(" 0 ")).isEqualTo(Duration.ZERO);
    assertThat(GracePeriod.parse("0d")).isEqualTo(Duration.ZERO);
  }

  @Test
  void refusesANumberWithoutUnitOtherFormsAndTooLongWithTheFormsAccepted() {
    for (String bad : new String[] {"7", "7w", "-1d", "1.5h", "", "d"}) {
      assertThatThrownBy(() -> GracePeriod.parse(bad))
          .as(bad)
          .hasMessageContaining("e.g. 7d, 12h, 30m, 45s, or 0");
    }
    assertThatThrownBy(() -> GracePeriod.parse("400d")).hasMessageContaining("366d");
  }

  @Test
  void formatWritesWhatParseReads() {
    for (String s : new String[] {"0", "7d", "12h", "30m", "45s", "90s"}) {
      assertThat(GracePeriod.format(GracePeriod.parse(s))).isEqualTo(s);
    }
  }
}

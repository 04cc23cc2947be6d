package org.silverlining.node.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.silverlining.core.IniFile;
import org.silverlining.core.InvalidConfigException;

class QueueSettingsTest {
  private static QueueSettings backoff(double min, double max, int doublings) {
    return new QueueSettings(
        "q",
        5,
        5,
        0,
        null,
        null,
        Duration.ofMillis((long) (min * 1000)),
        Duration.ofMillis((long) (max * 1000)),
        doublings);
  }

  private static List<Double> schedule(QueueSettings s, int n) {
    List<Double> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(s.backoff(i).toMillis() / 1000.0);
    }
    return out;
  }

  @Test
  void backoffDoublesMaxDoublingsTimesThenGrowsLinearlyUpToTheMaximum() {
    assertThat(schedule(backoff(10, 300, 3), 8))
        .containsExactly(10.0, 20.0, 40.0, 80.0, 160.0, 240.0, 300.0, 300.0);
  }

  @Test
  void withoutDoublingsBackoffGrowsLinearly() {
    List<Double> expected = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      expected.add(10.0 * i);
    }
    expected.add(200.0);
    expected.add(200.0);
    assertThat(schedule(backoff(10, 200, 0), 22)).isEqualTo(expected);
  }

  @Test
  void theDefaultBackoffStartsAtATenthOfASecondAndEndsAtOneHour() {
    QueueSettings d = QueueSettings.defaults("default");
    assertThat(schedule(d, 5)).containsExactly(0.1, 0.2, 0.4, 0.8, 1.6);
    assertThat(d.backoff(16).toMillis()).isEqualTo(3_276_800);
    assertThat(d.backoff(17)).isEqualTo(Duration.ofHours(1));
    assertThat(d.backoff(1000)).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void theDefaultsAreAppEngines() {
    QueueSettings d = QueueSettings.defaults("default");
    assertThat(d.rate()).isEqualTo(5.0);
    assertThat(d.bucketSize()).isEqualTo(5);
    assertThat(d.maxConcurrent()).isZero();
    assertThat(d.retryLimit()).isNull();
    assertThat(d.ageLimit()).isNull();
    assertThat(d.maxDoublings()).isEqualTo(16);
    assertThat(d.exhausted(1_000_000, Duration.ofDays(365))).isFalse();
  }

  @Test
  void aTaskIsDeadAfterRetryLimitRetries() {
    QueueSettings s = withLimits(2, null);
    assertThat(s.exhausted(1, Duration.ZERO)).isFalse();
    assertThat(s.exhausted(2, Duration.ZERO)).isFalse();
    assertThat(s.exhausted(3, Duration.ZERO)).isTrue();
  }

  @Test
  void withBothLimitsBothMustBeReached() {
    QueueSettings s = withLimits(2, Duration.ofMinutes(1));
    assertThat(s.exhausted(3, Duration.ofSeconds(30))).isFalse();
    assertThat(s.exhausted(1, Duration.ofMinutes(2))).isFalse();
    assertThat(s.exhausted(3, Duration.ofMinutes(2))).isTrue();
    assertThat(withLimits(null, Duration.ofMinutes(1)).exhausted(1, Duration.ofMinutes(2)))
        .isTrue();
  }

  private static QueueSettings withLimits(Integer retries, Duration age) {
    QueueSettings d = QueueSettings.defaults("q");
    return new QueueSettings(
        "q", 5, 5, 0, retries, age, d.minBackoff(), d.maxBackoff(), d.maxDoublings());
  }

  @Test
  void queueSectionsOfAppIniAreRead() {
    QueueTable t =
        QueueTable.parse(
            IniFile.parse(
                "app.ini",
                """
                [production]
                app_name = a
                [queue:mail]
                rate = 100/m
                bucket_size = 20
                max_concurrent = 4
                retry_limit = 5
                age_limit = 2d
                min_backoff = 1
                max_backoff = 10m
                max_doublings = 3
                """));

    QueueSettings mail = t.queue("mail").orElseThrow();
    assertThat(mail.rate()).isCloseTo(100 / 60.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(mail.bucketSize()).isEqualTo(20);
    assertThat(mail.maxConcurrent()).isEqualTo(4);
    assertThat(mail.retryLimit()).isEqualTo(5);
    assertThat(mail.ageLimit()).isEqualTo(Duration.ofDays(2));
    assertThat(mail.minBackoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(mail.maxBackoff()).isEqualTo(Duration.ofMinutes(10));
    assertThat(mail.maxDoublings()).isEqualTo(3);
    assertThat(t.queue("default")).contains(QueueSettings.defaults("default"));
  }

  @Test
  void aRateOfZeroPausesAQueue() {
    assertThat(QueueSettings.parseRate("0")).isZero();
    assertThat(new TokenBucket(0, 5, () -> 0L).tryTake()).isFalse();
  }

  @Test
  void aBadSettingNamesTheFileLineAndAnExample() {
    assertThatThrownBy(() -> QueueTable.parse(IniFile.parse("app.ini", "[queue:q]\nrate = fast\n")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("app.ini")
        .hasMessageContaining("2")
        .hasMessageContaining("rate = 5/s");
    assertThatThrownBy(() -> QueueTable.parse(IniFile.parse("app.ini", "[queue:q]\nretries = 3\n")))
        .hasMessageContaining("unknown key 'retries'");
    assertThatThrownBy(() -> QueueTable.parse(IniFile.parse("app.ini", "[queue:a_b]\nrate=1/s\n")))
        .hasMessageContaining("queue name");
  }
}

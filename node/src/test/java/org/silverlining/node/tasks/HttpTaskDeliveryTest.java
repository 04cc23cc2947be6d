package org.silverlining.node.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpTaskDeliveryTest {
  @Test
  void theEtaHeaderIsEpochSecondsWithMilliseconds() {
    assertThat(HttpTaskDelivery.seconds(1_700_000_000_123L)).isEqualTo("1700000000.123");
    assertThat(HttpTaskDelivery.seconds(1_700_000_000_005L)).isEqualTo("1700000000.005");
    assertThat(HttpTaskDelivery.seconds(1_700_000_000_000L)).isEqualTo("1700000000.000");
  }
}

package org.silverlining.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskOptionsTest {
  @Test
  void aPlainTaskIsAPostOfItsPath() {
    assertThat(TaskOptions.path("/work").toJson())
        .isEqualTo("{\"path\":\"/work\",\"method\":\"POST\"}");
  }

  @Test
  void everyOptionIsWritten() {
    String json =
        TaskOptions.path("/tasks/mail?x=1")
            .withName("welcome-42")
            .withMethod("PUT")
            .withHeader("X-Kind", "a \"quoted\"\nline")
            .withBody(new byte[] {0, 1, (byte) 255})
            .withDelay(Duration.ofMillis(1500))
            .toJson();

    assertThat(json)
        .isEqualTo(
            "{\"path\":\"/tasks/mail?x=1\",\"name\":\"welcome-42\",\"method\":\"PUT\","
                + "\"headers\":{\"X-Kind\":\"a \\\"quoted\\\"\\nline\"},"
                + "\"body_base64\":\"AAH/\",\"delay_seconds\":1.5}");
  }

  @Test
  void anEtaIsAnIsoInstantAndReplacesADelay() {
    String json =
        TaskOptions.path("/w")
            .withDelay(Duration.ofSeconds(5))
            .withEta(Instant.parse("2030-01-02T03:04:05Z"))
            .toJson();

    assertThat(json).contains("\"eta\":\"2030-01-02T03:04:05Z\"").doesNotContain("delay_seconds");
    assertThat(TaskOptions.path("/w").withDelay(Duration.ofSeconds(5)).toJson())
        .contains("\"delay_seconds\":5}");
  }

  @Test
  void controlCharactersAreEscaped() {
    assertThat(Json.write(Map.of("k", "\u0001\t\\"))).isEqualTo("{\"k\":\"\\u0001\\t\\\\\"}");
  }

  @Test
  void answersAreRead() throws Exception {
    String answer = "{\"id\":17,\"name\":\"a\\\"b\",\"queue\":\"default\",\"eta\":\"2030\"}";
    assertThat(Tasks.enqueued(answer)).isEqualTo(new Tasks.Enqueued(17, "a\"b", "default", "2030"));
  }

  @Test
  void aPathStartsWithASlash() {
    assertThatThrownBy(() -> TaskOptions.path("work")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void productionIsWhatSilverVersionSays() {
    assertThat(Silver.isProduction(Map.of("SILVER_VERSION", "silverlining/0.1.0"))).isTrue();
    assertThat(Silver.isProduction(Map.of("SILVER_VERSION", "devel/0.1.0"))).isFalse();
    assertThat(Silver.isProduction(Map.of())).isFalse();
  }

  @Test
  void outsideANodeThereAreNoTasks() {
    assertThatThrownBy(() -> Tasks.fromEnvironment(Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SILVER_TASKS_URL");
  }
}

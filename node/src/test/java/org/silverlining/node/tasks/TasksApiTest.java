package org.silverlining.node.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The tasks API's own parsing and formatting, which replace a regex and {@code Instant}. */
class TasksApiTest {
  @Test
  void theQueueIsTakenFromTheEnqueuePathOnly() {
    assertThat(TasksApi.queueOf("/queues/mail/tasks")).isEqualTo("mail");
    assertThat(TasksApi.queueOf("/queues/mail/tasks/")).isEqualTo("mail");
    assertThat(TasksApi.queueOf("/queues//tasks")).isNull();
    assertThat(TasksApi.queueOf("/queues/mail/tasks/1")).isNull();
    assertThat(TasksApi.queueOf("/queues/mail")).isNull();
    assertThat(TasksApi.queueOf("/other/mail/tasks")).isNull();
    assertThat(TasksApi.queueOf(null)).isNull();
  }

  @Test
  void theEtaIsWrittenAsInstantWritesIt() {
    for (long millis :
        new long[] {
          0,
          1,
          999,
          1000,
          1_700_000_000_000L,
          1_700_000_000_007L,
          1_700_000_000_050L,
          1_700_000_000_123L,
          1_700_000_001_123L,
          -1
        }) {
      assertThat(TasksApi.iso(millis)).isEqualTo(Instant.ofEpochMilli(millis).toString());
    }
  }

  @Test
  void onlyPathsWithoutEscapesOrOddCharactersSkipTheUriCheck() {
    assertThat(TaskRequest.isPlainPath("/hit?k=t&t=123")).isTrue();
    assertThat(TaskRequest.isPlainPath("/a/b-c_d.e~f!$'()*+,;=:@/?x=1")).isTrue();
    assertThat(TaskRequest.isPlainPath("/a%20b")).isFalse();
    assertThat(TaskRequest.isPlainPath("/a b")).isFalse();
    assertThat(TaskRequest.isPlainPath("/a#frag")).isFalse();
    assertThat(TaskRequest.isPlainPath("/é")).isFalse();
  }
}

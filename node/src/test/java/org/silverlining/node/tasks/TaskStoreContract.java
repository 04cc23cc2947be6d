package org.silverlining.node.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TaskStore} does; {@link SqliteTaskStoreTest} and {@link RedisTaskStoreTest} run
 * it against each store.
 */
abstract class TaskStoreContract {
  /** Opens the store under test; a second call opens the same stored tasks again. */
  abstract TaskStore open() throws Exception;

  static Task.New task(String queue, String name, long eta) {
    return new Task.New(
        "a.test",
        queue,
        name,
        "POST",
        "/work",
        Map.of("X-Kind", "mail"),
        "hello".getBytes(StandardCharsets.UTF_8),
        eta);
  }

  @Test
  void anAcknowledgedTaskIsThereAfterTheStoreIsReopened() throws Exception {
    long id;
    try (TaskStore s = open()) {
      id = s.enqueue(task("default", null, 0)).id();
    }
    try (TaskStore s = open()) {
      Task t = s.task(id);
      assertThat(t.state()).isEqualTo(TaskStore.QUEUED);
      assertThat(t.headers()).containsEntry("X-Kind", "mail");
      assertThat(new String(t.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
      assertThat(t.deliveredName()).isEqualTo("task-" + id);
    }
  }

  @Test
  void aTaskRunningWhenTheNodeStoppedIsQueuedAgainOnOpen() throws Exception {
    try (TaskStore s = open()) {
      s.enqueue(task("default", "x", 0));
      assertThat(s.claim("a.test", "default", 1, 10)).hasSize(1);
      assertThat(s.dueQueues(System.currentTimeMillis())).isEmpty();
    }
    try (TaskStore s = open()) {
      assertThat(s.claim("a.test", "default", System.currentTimeMillis(), 10))
          .extracting(Task::name)
          .containsExactly("x");
    }
  }

  @Test
  void aTaskClaimedAsItIsStoredRunsUntilItsOutcomeAndAgainAfterARestart() throws Exception {
    try (TaskStore s = open()) {
      Task t = s.enqueue(task("default", "now", 0), true);
      assertThat(t.state()).isEqualTo(TaskStore.RUNNING);
      assertThat(s.dueQueues(System.currentTimeMillis())).isEmpty();
      assertThat(s.claim("a.test", "default", System.currentTimeMillis(), 10)).isEmpty();
      assertThat(s.counts("a.test")).containsEntry("default", Map.of("running", 1));
      Task done = s.enqueue(task("default", "done", 0), true);
      s.done(done.id(), 10);
      assertThat(s.task(done.id()).state()).isEqualTo(TaskStore.DONE);
    }
    try (TaskStore s = open()) {
      assertThat(s.claim("a.test", "default", System.currentTimeMillis(), 10))
          .extracting(Task::name)
          .containsExactly("now");
    }
  }

  @Test
  void aNameIsNotEnqueuedTwiceWhileItIsRemembered() throws Exception {
    try (TaskStore s = open()) {
      Task first = s.enqueue(task("default", "once", 0));
      s.enqueue(task("other", "once", 0)); // names are per queue

      assertThatThrownBy(() -> s.enqueue(task("default", "once", 0)))
          .isInstanceOf(TaskStore.DuplicateTaskException.class);
      s.done(first.id(), 1000);
      assertThatThrownBy(() -> s.enqueue(task("default", "once", 0)))
          .isInstanceOf(TaskStore.DuplicateTaskException.class);

      assertThat(s.forget(2000)).isEqualTo(1);
      assertThat(s.enqueue(task("default", "once", 0)).name()).isEqualTo("once");
    }
  }

  @Test
  void anAdoptedTaskKeepsItsStateRetriesAndLastResult() throws Exception {
    Task.New n = task("default", "moved", 0);
    Task queued =
        new Task(
            7,
            "a.test",
            "default",
            "moved",
            "POST",
            "/work",
            n.headers(),
            n.body(),
            100,
            50,
            2,
            60,
            TaskStore.QUEUED,
            "HTTP 503");
    Task dead =
        new Task(
            8,
            "a.test",
            "default",
            null,
            "POST",
            "/work",
            Map.of(),
            null,
            100,
            50,
            5,
            60,
            TaskStore.DEAD,
            "HTTP 500");
    try (TaskStore s = open()) {
      Task q = s.adopt(queued);
      Task d = s.adopt(dead);

      assertThatThrownBy(() -> s.enqueue(n)).isInstanceOf(TaskStore.DuplicateTaskException.class);
      assertThat(s.counts("a.test")).containsEntry("default", Map.of("queued", 1, "dead", 1));
      assertThat(s.failures("a.test", 10)).extracting(Task::id).contains(q.id(), d.id());
      Task claimed = s.claim("a.test", "default", 1000, 10).get(0);
      assertThat(claimed.retries()).isEqualTo(2);
      assertThat(claimed.firstAttemptMillis()).isEqualTo(60);
      assertThat(claimed.lastResult()).isEqualTo("HTTP 503");
      assertThat(new String(claimed.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
      assertThat(s.task(d.id()).lastResult()).isEqualTo("HTTP 500");
      assertThat(s.revive("a.test", d.id(), 5)).isTrue();
    }
  }

  @Test
  void aRemovedTaskIsGoneWithItsNameWhateverItsState() throws Exception {
    try (TaskStore s = open()) {
      Task claimed = s.enqueue(task("default", "moved", 0));
      Task dead = s.enqueue(task("default", "dead", 0));
      Task queued = s.enqueue(task("default", "queued", 5000));
      assertThat(s.claim("a.test", "default", 1, 2)).hasSize(2);
      s.dead(dead.id(), 1, 1, "HTTP 500");

      for (Task t : List.of(claimed, dead, queued)) {
        s.remove(t.id());
      }

      assertThat(s.task(claimed.id())).isNull();
      assertThat(s.counts("a.test")).isEmpty();
      assertThat(s.failures("a.test", 10)).isEmpty();
      assertThat(s.dueQueues(Long.MAX_VALUE)).isEmpty();
      assertThat(s.enqueue(task("default", "moved", 0)).name()).isEqualTo("moved");
    }
    try (TaskStore s = open()) {
      assertThat(s.claim("a.test", "default", Long.MAX_VALUE, 10))
          .extracting(Task::name)
          .containsExactly("moved");
    }
  }

  @Test
  void onlyDueTasksAreClaimedOldestFirst() throws Exception {
    try (TaskStore s = open()) {
      s.enqueue(task("default", "later", 5000));
      s.enqueue(task("default", "b", 200));
      s.enqueue(task("default", "a", 100));

      assertThat(s.dueQueues(1000)).hasSize(1);
      List<Task> claimed = s.claim("a.test", "default", 1000, 10);
      assertThat(claimed).extracting(Task::name).containsExactly("a", "b");
    }
  }

  @Test
  void deadTasksAreListedRevivedAndPurged() throws Exception {
    try (TaskStore s = open()) {
      Task t = s.enqueue(task("default", "bad", 0));
      s.claim("a.test", "default", 1, 1);
      s.dead(t.id(), 3, 1, "HTTP 500");

      assertThat(s.counts("a.test")).containsEntry("default", Map.of("dead", 1));
      assertThat(s.failures("a.test", 10))
          .singleElement()
          .satisfies(f -> assertThat(f.lastResult()).isEqualTo("HTTP 500"));

      assertThat(s.revive("other.test", t.id(), 5)).isFalse();
      assertThat(s.revive("a.test", t.id(), 5)).isTrue();
      assertThat(s.task(t.id()).retries()).isZero();
      assertThat(s.purge("a.test", "default", 6)).isEqualTo(1);
      assertThat(s.dueQueues(Long.MAX_VALUE)).isEmpty();
    }
  }

  @Test
  void aClaimedTaskIsNotClaimedAgainUntilItsOutcomeIsRecorded() throws Exception {
    try (TaskStore s = open()) {
      Task a = s.enqueue(task("default", "a", 0));
      s.enqueue(task("default", "b", 0));

      assertThat(s.claim("a.test", "default", 1, 1)).extracting(Task::name).containsExactly("a");
      assertThat(s.counts("a.test")).containsEntry("default", Map.of("queued", 1, "running", 1));
      assertThat(s.claim("a.test", "default", 1, 10)).extracting(Task::name).containsExactly("b");
      assertThat(s.dueQueues(1)).isEmpty();
      assertThat(s.claim("a.test", "default", 1, 10)).isEmpty();
      assertThat(s.purge("a.test", "default", 1)).as("attempts under way are not purged").isZero();

      s.retryLater(a.id(), 1, 1, 2, "HTTP 503");
      assertThat(s.claim("a.test", "default", 2, 10))
          .singleElement()
          .satisfies(t -> assertThat(t.retries()).isEqualTo(1));
    }
  }

  @Test
  void severalOutcomesAreRecordedTogether() throws Exception {
    try (TaskStore s = open()) {
      Task a = s.enqueue(task("default", "a", 0));
      Task b = s.enqueue(task("default", "b", 0));
      Task c = s.enqueue(task("default", "c", 0));
      assertThat(s.claim("a.test", "default", 1, 10)).hasSize(3);

      s.finish(
          List.of(
              new TaskStore.Done(a.id(), 10),
              new TaskStore.Retry(b.id(), 1, 1, 5000, "HTTP 500"),
              new TaskStore.Dead(c.id(), 4, 1, "HTTP 410")));

      assertThat(s.task(a.id()).state()).isEqualTo(TaskStore.DONE);
      assertThat(s.task(b.id()).state()).isEqualTo(TaskStore.QUEUED);
      assertThat(s.task(b.id()).etaMillis()).isEqualTo(5000);
      assertThat(s.task(c.id()).state()).isEqualTo(TaskStore.DEAD);
      assertThat(s.dueQueues(4999)).isEmpty();
      assertThat(s.claim("a.test", "default", 5000, 10))
          .extracting(Task::name)
          .containsExactly("b");
    }
  }
}

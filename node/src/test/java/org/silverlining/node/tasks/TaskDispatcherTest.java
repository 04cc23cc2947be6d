package org.silverlining.node.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatcher over a real store, with a delivery that answers what the test says. */
class TaskDispatcherTest {
  @TempDir Path dir;
  SqliteTaskStore store;
  TaskDispatcher dispatcher;
  final List<Task> attempts = new CopyOnWriteArrayList<>();

  private void start(QueueSettings queue, TaskDelivery answer) throws Exception {
    store = new SqliteTaskStore(dir.resolve("state.db"));
    dispatcher =
        new TaskDispatcher(
            store,
            t -> {
              attempts.add(t);
              return answer.deliver(t);
            });
    dispatcher.setQueues(Map.of("a.test", new QueueTable(Map.of(queue.name(), queue))));
    dispatcher.start();
  }

  @AfterEach
  void stop() throws Exception {
    dispatcher.close();
    store.close();
  }

  private static QueueSettings queue(double rate, int bucket, int concurrent, Integer retries) {
    return new QueueSettings(
        "q",
        rate,
        bucket,
        concurrent,
        retries,
        null,
        Duration.ofMillis(20),
        Duration.ofMillis(100),
        16);
  }

  @Test
  void aFailingTaskIsRetriedWithGrowingRetryCountsUntilItSucceeds() throws Exception {
    start(queue(100, 10, 0, null), t -> t.retries() < 3 ? 500 : 204);
    Task t = store.enqueue(SqliteTaskStoreTest.task("q", "n", 0));
    dispatcher.wake();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> TaskStore.DONE.equals(store.task(t.id()).state()));
    assertThat(attempts).extracting(Task::retries).containsExactly(0, 1, 2, 3);
  }

  @Test
  void aTaskThatFailsBeyondRetryLimitIsDead() throws Exception {
    start(
        queue(100, 10, 0, 2),
        t -> {
          throw new java.io.IOException("refused");
        });
    Task t = store.enqueue(SqliteTaskStoreTest.task("q", null, 0));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> TaskStore.DEAD.equals(store.task(t.id()).state()));
    assertThat(attempts).hasSize(3);
    assertThat(store.task(t.id()).lastResult()).isEqualTo("refused");
    assertThat(store.task(t.id()).retries()).isEqualTo(3);
  }

  @Test
  void theRateLimitsHowManyTasksStart() throws Exception {
    List<Long> startedAt = new CopyOnWriteArrayList<>();
    start(
        queue(10, 2, 0, null),
        t -> {
          startedAt.add(System.nanoTime());
          return 200;
        });
    long t0 = System.nanoTime();
    for (int i = 0; i < 12; i++) {
      store.enqueue(SqliteTaskStoreTest.task("q", null, 0));
    }
    dispatcher.wake();

    await().atMost(Duration.ofSeconds(30)).until(() -> startedAt.size() == 12);
    // 2 at once, then 10 a second: the k-th start (from 0) waits for k - 1 new tokens at least.
    // Only a lower bound, which a slow machine cannot break (TokenBucketTest checks the sums).
    for (int k = 2; k < startedAt.size(); k++) {
      assertThat(Duration.ofNanos(startedAt.get(k) - t0))
          .as("start %d", k)
          .isGreaterThanOrEqualTo(Duration.ofMillis(100L * (k - 1) - 5));
    }
  }

  @Test
  void maxConcurrentCapsAttemptsUnderWay() throws Exception {
    AtomicInteger now = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    start(
        queue(1000, 100, 3, null),
        t -> {
          most.accumulateAndGet(now.incrementAndGet(), Math::max);
          Thread.sleep(50);
          now.decrementAndGet();
          return 200;
        });
    for (int i = 0; i < 20; i++) {
      store.enqueue(SqliteTaskStoreTest.task("q", null, 0));
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> attempts.size() == 20);
    assertThat(most.get()).isEqualTo(3);
  }

  @Test
  void aTaskDoesNotRunBeforeItsEta() throws Exception {
    start(queue(100, 10, 0, null), t -> 200);
    long eta = System.currentTimeMillis() + 600;
    Task t = store.enqueue(SqliteTaskStoreTest.task("q", null, eta));

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> TaskStore.DONE.equals(store.task(t.id()).state()));
    assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(eta);
  }

  @Test
  void tasksEnqueuedThroughTheDispatcherFromManyThreadsKeepMaxConcurrentAndAllArrive()
      throws Exception {
    AtomicInteger now = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    start(
        queue(1000, 1000, 2, null),
        t -> {
          most.accumulateAndGet(now.incrementAndGet(), Math::max);
          Thread.sleep(20);
          now.decrementAndGet();
          return 200;
        });
    List<Thread> clients = new java.util.ArrayList<>();
    for (int c = 0; c < 4; c++) {
      Thread th =
          new Thread(
              () -> {
                for (int i = 0; i < 10; i++) {
                  try {
                    dispatcher.enqueue(SqliteTaskStoreTest.task("q", null, 0));
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }
              });
      th.start();
      clients.add(th);
    }
    for (Thread th : clients) {
      th.join();
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> attempts.size() == 40);
    assertThat(most.get()).isEqualTo(2);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> store.counts("a.test").get("q").equals(Map.of("done", 40)));
  }

  @Test
  void aTaskEnqueuedWhenTheQueueIsFullRunsWhenASlotFrees() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    start(
        queue(1000, 1000, 1, null),
        t -> {
          release.await();
          return 200;
        });
    Task first = dispatcher.enqueue(SqliteTaskStoreTest.task("q", "first", 0));
    Task second = dispatcher.enqueue(SqliteTaskStoreTest.task("q", "second", 0));

    assertThat(first.state()).as("claimed on enqueue").isEqualTo(TaskStore.RUNNING);
    assertThat(second.state()).as("no free slot").isEqualTo(TaskStore.QUEUED);
    await().atMost(Duration.ofSeconds(5)).until(() -> !attempts.isEmpty());
    assertThat(attempts).extracting(Task::name).containsExactly("first");
    release.countDown();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> TaskStore.DONE.equals(store.task(second.id()).state()));
    assertThat(attempts).extracting(Task::name).containsExactly("first", "second");
  }
}

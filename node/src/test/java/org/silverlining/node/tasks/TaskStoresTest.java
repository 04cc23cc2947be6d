package org.silverlining.node.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A location's tasks moving to its nodeset's Redis: two app servers ({@code a} and {@code b}, each
 * with its own SQLite store) sharing the test Redis, under a key prefix of the test's own.
 */
class TaskStoresTest {
  @TempDir Path dir;
  private final String prefix = "test-" + UUID.randomUUID() + ":";
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void redisIsThere() {
    RedisTaskStoreTest.redisIsThere();
  }

  @BeforeEach
  void skipWithoutRedis() {
    RedisTaskStoreTest.assumeRedis();
  }

  @AfterEach
  void closeAndDropKeys() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    RedisTaskStoreTest.dropKeys(prefix);
  }

  /** App server {@code node}'s stores. */
  private TaskStores server(String node) throws Exception {
    TaskStores s =
        new TaskStores(
            new SqliteTaskStore(dir.resolve(node + ".db")),
            (url, keys) -> new RedisTaskStore(url, node, prefix + keys));
    open.add(s);
    return s;
  }

  private static Task.New task(String location, String name, long eta) {
    return new Task.New(location, "default", name, "POST", "/work", Map.of(), null, eta);
  }

  @Test
  void theQueuedTasksOfALocationMoveToItsNodesetsRedisAndTheNextOnesGoThere() throws Exception {
    TaskStores a = server("a");
    TaskStore own = a.of("a.test");
    Task dead = own.enqueue(task("a.test", "dead", 0));
    own.claim("a.test", "default", 1, 1);
    own.dead(dead.id(), 1, 1, "HTTP 500");
    own.enqueue(task("a.test", "due", 0));
    own.enqueue(task("a.test", "later", Long.MAX_VALUE / 2));
    own.enqueue(task("b.test", "elsewhere", 0));

    assertThat(a.share("site", "app", "a.test", RedisTaskStoreTest.URL)).isEqualTo(3);
    a.of("a.test").enqueue(task("a.test", "after", 0));

    TaskStore shared = a.of("a.test");
    assertThat(shared).isNotSameAs(own);
    assertThat(own.counts("a.test")).isEmpty();
    Task moved = shared.failures("a.test", 10).get(0);
    assertThat(moved.name()).isEqualTo("dead");
    assertThat(moved.lastResult()).isEqualTo("HTTP 500");
    assertThat(shared.claim("a.test", "default", Long.MAX_VALUE, 10))
        .extracting(Task::name)
        .containsExactlyInAnyOrder("due", "later", "after");
    assertThat(a.counts("a.test")).containsEntry("default", Map.of("dead", 1, "running", 3));
    assertThat(a.revive("a.test", moved.id(), 5)).isTrue();
    assertThat(own.claim("b.test", "default", Long.MAX_VALUE, 10)).hasSize(1);
    assertThat(a.share("site", "app", "a.test", RedisTaskStoreTest.URL)).isZero();
  }

  @Test
  void aLocationWhoseNodesetsRedisWasOutOfReachMovesThereOnceItIsBack() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean reachable =
        new java.util.concurrent.atomic.AtomicBoolean();
    TaskStores a =
        new TaskStores(
            new SqliteTaskStore(dir.resolve("a.db")),
            (url, keys) -> {
              if (!reachable.get()) {
                throw new java.io.IOException("connection refused");
              }
              return new RedisTaskStore(url, "a", prefix + keys);
            });
    open.add(a);
    TaskStore own = a.of("a.test");
    own.enqueue(task("a.test", "waiting", 0));

    assertThatThrownBy(() -> a.share("site", "app", "a.test", RedisTaskStoreTest.URL))
        .hasMessageContaining("connection refused");
    assertThat(a.retryShares()).isFalse();
    assertThat(a.of("a.test")).isSameAs(own);

    reachable.set(true);
    assertThat(a.retryShares()).isTrue();
    assertThat(a.of("a.test").claim("a.test", "default", Long.MAX_VALUE, 10))
        .extracting(Task::name)
        .containsExactly("waiting");
    assertThat(a.retryShares()).isFalse();
  }

  @Test
  void aTaskEnqueuedOnOneAppServerIsClaimedOnceByAnother() throws Exception {
    TaskStores a = server("a");
    TaskStores b = server("b");
    a.share("site", "app", "a.test", RedisTaskStoreTest.URL);
    b.share("site", "app", "a.test", RedisTaskStoreTest.URL);

    a.of("a.test").enqueue(task("a.test", "x", 0));

    assertThat(b.of("a.test").claim("a.test", "default", Long.MAX_VALUE, 10)).hasSize(1);
    assertThat(a.of("a.test").claim("a.test", "default", Long.MAX_VALUE, 10)).isEmpty();
    assertThat(a.counts("a.test")).containsEntry("default", Map.of("running", 1));
  }

  @Test
  void twoNodesetsOrTwoAppsSharingOneRedisDoNotMix() throws Exception {
    TaskStores a = server("a");
    TaskStores b = server("b");
    TaskStores c = server("c");
    a.share("site", "app", "a.test", RedisTaskStoreTest.URL);
    b.share("staging", "app", "a.test", RedisTaskStoreTest.URL);
    c.share("site", "other", "a.test", RedisTaskStoreTest.URL);

    a.of("a.test").enqueue(task("a.test", "x", 0));

    assertThat(b.counts("a.test")).isEmpty();
    assertThat(c.counts("a.test")).isEmpty();
    assertThat(a.counts("a.test")).containsEntry("default", Map.of("queued", 1));
  }

  @Test
  void theDispatcherDeliversWhatIsLeftInTheStoreALocationLeft() throws Exception {
    TaskStores a = server("a");
    List<String> delivered = new CopyOnWriteArrayList<>();
    try (TaskDispatcher d =
        new TaskDispatcher(
            a,
            t -> {
              delivered.add(t.name());
              return 200;
            },
            org.silverlining.node.logs.StreamLogs.NONE)) {
      TaskStore own = a.of("a.test");
      a.share("site", "app", "a.test", RedisTaskStoreTest.URL);
      // What an attempt under way at the switch does when it fails: its task queued again there.
      own.enqueue(task("a.test", "left", 0));
      d.enqueue(task("a.test", "shared", 0));
      d.start();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> delivered.containsAll(List.of("left", "shared")));
      assertThat(delivered).hasSize(2);
    }
  }
}

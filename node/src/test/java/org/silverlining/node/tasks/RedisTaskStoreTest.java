package org.silverlining.node.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.silverlining.node.resp.RespConnection;

/**
 * The contract against the real Redis at {@code SILVER_TEST_REDIS} (default {@code
 * redis://127.0.0.1:6379}), each test under a key prefix of its own. Skipped when that Redis cannot
 * be reached, except in CI ({@code CI=true}), where that fails.
 */
class RedisTaskStoreTest extends TaskStoreContract {
  static final String URL =
      System.getenv().getOrDefault("SILVER_TEST_REDIS", "redis://127.0.0.1:6379");

  private final String prefix = RedisTaskStore.PREFIX + "test-" + UUID.randomUUID() + ":";

  /** Why Redis cannot be used, or {@code null}. */
  private static String unreachable;

  @BeforeAll
  static void redisIsThere() {
    try (RedisTaskStore s = new RedisTaskStore(URL, "probe", "silver:tasks:probe:", LEASE)) {
      s.task(0);
    } catch (IOException e) {
      unreachable = "Redis at " + URL + " is unreachable (" + e.getMessage() + ")";
      if ("true".equals(System.getenv("CI"))) {
        fail(unreachable + "; CI needs it");
      }
      System.err.println("SKIPPED RedisTaskStoreTest: " + unreachable);
    }
  }

  @BeforeEach
  void skipWithoutRedis() {
    assumeRedis();
  }

  /** Skips the test when the test Redis cannot be reached (after {@link #redisIsThere}). */
  static void assumeRedis() {
    Assumptions.assumeTrue(unreachable == null, () -> unreachable + ": skipped");
  }

  static final Duration LEASE = RedisTaskStore.LEASE;

  @Override
  TaskStore open() throws Exception {
    return new RedisTaskStore(URL, "node-a", prefix, LEASE);
  }

  @AfterEach
  void dropKeys() throws IOException {
    dropKeys(prefix);
  }

  /** Deletes the test Redis' keys under {@code prefix}. */
  static void dropKeys(String prefix) throws IOException {
    if (unreachable != null) {
      return;
    }
    try (RespConnection c = RespConnection.open("127.0.0.1", port(), 5000)) {
      @SuppressWarnings("unchecked")
      List<Object> keys = (List<Object>) c.call("KEYS", prefix + "*");
      for (Object k : keys) {
        c.call("DEL", (String) k);
      }
    }
  }

  private static int port() {
    String hostPort = URL.substring(URL.lastIndexOf('@') + 1).replace("redis://", "");
    int colon = hostPort.indexOf(':');
    return colon < 0 ? 6379 : Integer.parseInt(hostPort.substring(colon + 1).split("/")[0]);
  }

  @Test
  void aTaskClaimedByANodeThatDiedIsClaimedAgainWhenItsLeaseEnds() throws Exception {
    try (RedisTaskStore a = new RedisTaskStore(URL, "node-a", prefix, Duration.ofMillis(300));
        RedisTaskStore b = new RedisTaskStore(URL, "node-b", prefix, Duration.ofMillis(300))) {
      a.enqueue(task("default", "x", 0));
      assertThat(a.claim("a.test", "default", System.currentTimeMillis(), 10)).hasSize(1);
      assertThat(b.claim("a.test", "default", System.currentTimeMillis(), 10)).isEmpty();
      // The lease ends by Redis' clock: b sees the queue due again once it has.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> b.dueQueues(System.currentTimeMillis()).size() == 1);
      assertThat(b.claim("a.test", "default", System.currentTimeMillis(), 10))
          .extracting(Task::name)
          .containsExactly("x");
    }
  }

  @Test
  void reopeningRequeuesOnlyTheTasksOfTheSameNode() throws Exception {
    try (RedisTaskStore a = new RedisTaskStore(URL, "node-a", prefix, LEASE);
        RedisTaskStore b = new RedisTaskStore(URL, "node-b", prefix, LEASE)) {
      a.enqueue(task("default", "x", 0));
      a.enqueue(task("default", "y", 1));
      assertThat(a.claim("a.test", "default", 5, 1)).extracting(Task::name).containsExactly("x");
      assertThat(b.claim("a.test", "default", 5, 1)).extracting(Task::name).containsExactly("y");
    }
    try (RedisTaskStore a = new RedisTaskStore(URL, "node-a", prefix, LEASE)) {
      assertThat(a.claim("a.test", "default", 5, 10)).extracting(Task::name).containsExactly("x");
    }
  }

  @Test
  void nodesSharingTheRedisNeverClaimTheSameTask() throws Exception {
    int n = 200;
    try (RedisTaskStore setup = new RedisTaskStore(URL, "setup", prefix, LEASE)) {
      for (int i = 0; i < n; i++) {
        setup.enqueue(task("default", null, i));
      }
    }
    Set<Long> claimed = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> nodes = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        String owner = "node-" + k;
        nodes.add(
            pool.submit(
                () -> {
                  int mine = 0;
                  try (RedisTaskStore s = new RedisTaskStore(URL, owner, prefix, LEASE)) {
                    List<Task> got;
                    while (!(got = s.claim("a.test", "default", n, 7)).isEmpty()) {
                      for (Task t : got) {
                        assertThat(claimed.add(t.id())).as("claimed twice: " + t.id()).isTrue();
                        s.done(t.id(), System.currentTimeMillis());
                        mine++;
                      }
                    }
                  }
                  return mine;
                }));
      }
      int total = 0;
      for (Future<Integer> f : nodes) {
        total += f.get();
      }
      assertThat(total).isEqualTo(n);
      assertThat(claimed).hasSize(n);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRememberedNameExpiresInRedisAfterItsTaskFinished() throws Exception {
    try (RedisTaskStore s = new RedisTaskStore(URL, "node-a", prefix, LEASE);
        RespConnection c = RespConnection.open("127.0.0.1", port(), 5000)) {
      Task t = s.enqueue(task("default", "once", 0));
      String key = prefix + "name:default:a.test\nonce";
      assertThat(c.call("PTTL", key)).isEqualTo(-1L);
      s.done(t.id(), System.currentTimeMillis());
      assertThat((Long) c.call("PTTL", key))
          .isPositive()
          .isLessThanOrEqualTo(TaskDispatcher.REMEMBER_NAMES.toMillis());
    }
  }

  @Test
  void theStoreSaysItsFormatInRedisAndOneANewerSilverWroteIsRefused() throws Exception {
    try (TaskStore s = open()) {
      assertThat(s.dueQueues(0)).isEmpty();
    }
    try (RespConnection c = RespConnection.open("127.0.0.1", port(), 5000)) {
      assertThat(c.call("GET", prefix + "format")).isEqualTo("1");
      c.call("SET", prefix + "format", "3");
    }
    assertThatThrownBy(this::open)
        .isInstanceOf(org.silverlining.node.state.NewerFormatException.class)
        .hasMessageContaining(prefix + "format")
        .hasMessageContaining("format version 3");
  }
}

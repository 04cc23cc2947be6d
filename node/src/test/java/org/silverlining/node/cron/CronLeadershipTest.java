package org.silverlining.node.cron;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.resp.RedisClient;

/**
 * Cron leadership against the real Redis at {@code SILVER_TEST_REDIS} (default {@code
 * redis://127.0.0.1:6379}), each test on a nodeset of its own; skipped without that Redis.
 */
class CronLeadershipTest {
  static final String URL =
      System.getenv().getOrDefault("SILVER_TEST_REDIS", "redis://127.0.0.1:6379");

  @TempDir Path dir;
  private final String nodeset = "test-" + UUID.randomUUID();
  private final RedisClient redis = new RedisClient(URL, "the test Redis", 5000);

  private CronLeadership node(String name) throws Exception {
    try {
      redis.call("PING");
    } catch (java.io.IOException e) {
      Assumptions.assumeTrue("true".equals(System.getenv("CI")), "no Redis at " + URL);
      throw e;
    }
    CronLeadership l = new CronLeadership(name, dir.resolve(name).resolve("nodesets.properties"));
    l.join(nodeset, "site.test", URL);
    return l;
  }

  @AfterEach
  void dropKeys() throws Exception {
    for (String k : new String[] {"leader", "token", "runs"}) {
      redis.call("DEL", CronLeadership.PREFIX + nodeset + ":cron:" + k);
    }
    redis.close();
  }

  @Test
  void oneNodeLeadsAStaleLeadersRunIsRefusedAndADueTimeRunsOnce() throws Exception {
    try (CronLeadership a = node("app1");
        CronLeadership b = node("app2")) {
      assertThat(a.turn("site.test")).isInstanceOf(CronLeadership.Leader.class);
      assertThat(b.turn("site.test")).isEqualTo(new CronLeadership.Follower(nodeset, "app1"));
      assertThat(a.turn("other.test")).isInstanceOf(CronLeadership.Local.class);
      CronLeadership.Leader first = (CronLeadership.Leader) a.turn("site.test");

      Instant due = Instant.parse("2026-12-07T22:00:00Z");
      assertThat(a.admit(first, "site.test", "/tick", due)).isNull();
      assertThat(a.admit(first, "site.test", "/tick", due)).isEqualTo(CronLeadership.DONE);

      // app1 stalls past its lease (its key expires), and app2 takes the lease: a newer token.
      redis.call("DEL", CronLeadership.PREFIX + nodeset + ":cron:leader");
      b.renewAll();
      CronLeadership.Leader second = (CronLeadership.Leader) b.turn("site.test");
      assertThat(second.token()).isGreaterThan(first.token());

      Instant next = due.plusSeconds(60);
      assertThat(a.admit(first, "site.test", "/tick", next))
          .startsWith("refused: this node's fencing token " + first.token())
          .contains("the current one is " + second.token());
      assertThat(b.admit(second, "site.test", "/tick", next)).isNull();
      a.renewAll();
      assertThat(a.turn("site.test")).isEqualTo(new CronLeadership.Follower(nodeset, "app2"));
    }
  }

  @Test
  void membershipIsKeptAcrossRestartsInAFileOnlyTheNodeReads() throws Exception {
    Path file = dir.resolve("app1").resolve("nodesets.properties");
    node("app1").close();
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    try (CronLeadership again = new CronLeadership("app1", file)) {
      again.renewAll();
      assertThat(again.turn("site.test")).isInstanceOf(CronLeadership.Leader.class);
      assertThat(again.describe()).containsKey(nodeset);
    }
  }
}

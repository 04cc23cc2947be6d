package org.silverlining.node.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.state.SqliteDatabase;

class HistoryTest {
  @TempDir Path dir;

  private static final long START = 1_800_000_000L / 3600 * 3600;

  private static Point traffic(long t, long requests) {
    long[] buckets = new long[LatencyBuckets.COUNT];
    buckets[10] = requests;
    return Point.ofTraffic(t, requests, requests / 10, buckets);
  }

  private static Map<String, Point> minute(long t, long requests) {
    Map<String, Point> m = new LinkedHashMap<>();
    m.put("a.test", traffic(t, requests));
    m.put(
        History.NODE, Point.ofMachine(t, new Point.Machine(0.5, 1000, 4000, 0, 10, 100, 0.25, 0)));
    return m;
  }

  @Test
  void pointsSurviveAReopenOfTheFile() throws Exception {
    Path file = dir.resolve("monitor.db");
    try (History h = new History(file)) {
      for (int i = 0; i < 5; i++) {
        h.addMinute(minute(START + i * 60, 10 + i), START + i * 60 + 60);
      }
    }

    try (History h = new History(file)) {
      List<Point> points = h.since("a.test", START, START + 300);

      assertThat(points)
          .extracting(p -> p.traffic().requests())
          .containsExactly(10L, 11L, 12L, 13L, 14L);
      assertThat(points.get(0).traffic().p95()).isEqualTo(LatencyBuckets.upperMillis(10));
      assertThat(h.since(History.NODE, START, START + 300))
          .extracting(p -> p.machine().cpuBusy())
          .containsOnly(0.25);
    }
  }

  @Test
  void fourDaysOfMinutesKeepTwoDaysOfMinutesAndFoldTheRestIntoHours() throws Exception {
    try (History h = new History(dir.resolve("monitor.db"))) {
      long minutes = 4 * 24 * 60;
      for (long i = 0; i < minutes; i++) {
        long t = START + i * 60;
        h.addMinute(minute(t, 1), t + 60);
      }
      long now = START + minutes * 60;

      Map<Integer, Integer> counts = h.counts();
      // Two series: at most 49 h of minutes each (pruned hourly), one point per finished hour.
      assertThat(counts.get(60)).isLessThanOrEqualTo(2 * 49 * 60);
      assertThat(counts.get(3600)).isEqualTo(2 * 4 * 24);
      List<Point> hours = h.since("a.test", now - 4 * 86400, now);
      assertThat(hours).hasSize(4 * 24);
      assertThat(hours).extracting(p -> p.traffic().requests()).containsOnly(60L);
    }
  }

  @Test
  void hourPointsOlderThanNinetyDaysAreDeleted() throws Exception {
    try (History h = new History(dir.resolve("monitor.db"))) {
      h.addMinute(minute(START, 5), START + 60);
      h.addMinute(minute(START + 3600, 5), START + 3660);
      assertThat(h.counts().get(3600)).isEqualTo(2);

      long later = START + History.HOURS_KEPT.toSeconds() + 7200;
      h.addMinute(minute(later, 1), later + 60);

      assertThat(h.since("a.test", START - 1, later)).isEmpty();
      assertThat(h.counts().get(60)).isEqualTo(2);
    }
  }

  @Test
  void aFileOfANewerSchemaIsRefusedWithBothVersions() throws Exception {
    Path file = dir.resolve("monitor.db");
    try (SqliteDatabase db = new SqliteDatabase(file)) {
      db.execute("PRAGMA user_version = 99");
    }

    assertThatThrownBy(() -> new History(file))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("schema version 99")
        .hasMessageContaining("this node's " + History.SCHEMA_VERSION);
  }

  @Test
  void aMinuteWithPingsGivesAPointWithTheShareUpAndTheStatsAnswerShowsIt() throws Exception {
    Clock clock = Clock.fixed(Instant.ofEpochSecond(START + 60), ZoneOffset.UTC);
    ProcFiles proc = ProcFiles.system();
    NodeMetrics metrics = new NodeMetrics(proc, dir, List::of, List::of, clock);
    var checks = Executors.newSingleThreadExecutor();
    try (History h = new History(dir.resolve("monitor.db"))) {
      HistorySampler sampler =
          new HistorySampler(
              h,
              metrics,
              proc,
              List::of,
              clock,
              p -> {},
              () -> Map.of("pinged.test", new PingTally(4, 3)));
      sampler.sample();

      List<Point> points = h.since("pinged.test", START, START + 60);
      assertThat(points).hasSize(1);
      assertThat(points.get(0).t()).isEqualTo(START);
      assertThat(points.get(0).pings()).isEqualTo(new PingTally(4, 3));
      assertThat(points.get(0).pings().up()).isEqualTo(0.75);

      PingMonitor pings =
          new PingMonitor(List::of, checks, a -> {}, "n", clock, new PrometheusRegistry());
      StatsView stats = new StatsView(h, metrics.front(), sampler, pings, clock);
      Map<String, Object> answer = stats.location("pinged", "pinged.test", Duration.ofHours(1));
      assertThat(answer.get("ping_up")).isEqualTo(0.75);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> list = (List<Map<String, Object>>) answer.get("points");
      assertThat(list).extracting(m -> m.get("ping_up")).containsExactly(0.75);
    } finally {
      checks.shutdownNow();
    }
  }

  @Test
  void anHourFoldsThePingChecksOfItsMinutes() throws Exception {
    try (History h = new History(dir.resolve("monitor.db"))) {
      for (int i = 0; i < 60; i++) {
        long t = START + i * 60;
        Map<String, Point> m = minute(t, 1);
        m.put("a.test", m.get("a.test").withPings(new PingTally(2, i < 15 ? 0 : 2)));
        h.addMinute(m, t + 60);
      }
      h.addMinute(minute(START + 3600, 1), START + 3660);

      List<Point> hours = h.since("a.test", START, START + 49 * 3600);
      assertThat(hours).hasSize(1);
      assertThat(hours.get(0).pings()).isEqualTo(new PingTally(120, 90));
      assertThat(hours.get(0).pings().up()).isEqualTo(0.75);
    }
  }

  @Test
  void aVersionOneFileGainsThePingColumnsAndKeepsItsPoints() throws Exception {
    Path file = dir.resolve("monitor.db");
    try (SqliteDatabase db = new SqliteDatabase(file)) {
      db.execute(
          "CREATE TABLE point (series TEXT NOT NULL, res INTEGER NOT NULL,"
              + " t INTEGER NOT NULL, requests INTEGER, errors INTEGER, p50 REAL, p95 REAL,"
              + " p99 REAL, cpu REAL, rss INTEGER, load1 REAL, mem_available INTEGER,"
              + " mem_total INTEGER, swap_used INTEGER, disk_free INTEGER,"
              + " disk_total INTEGER, cpu_busy REAL, mem_pressure REAL,"
              + " PRIMARY KEY (series, res, t))");
      db.execute(
          "INSERT INTO point VALUES ('a.test', 60, "
              + START
              + ", 7, 0, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1)");
      db.execute("PRAGMA user_version = 1");
    }

    try (History h = new History(file)) {
      List<Point> points = h.since("a.test", START, START + 60);
      assertThat(points).extracting(p -> p.traffic().requests()).containsExactly(7L);
      assertThat(points.get(0).pings().up()).isEqualTo(-1);
    }
  }
}

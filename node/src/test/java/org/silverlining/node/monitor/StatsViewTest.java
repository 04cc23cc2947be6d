package org.silverlining.node.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The answers of {@code silver stats}, to the letter, from stored minutes and the hours folded from
 * them: every figure of a location's and of the machine's points.
 */
class StatsViewTest {
  private static final long START = 1_800_000_000L / 3600 * 3600;
  private static final long NOW = START + 3660;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final ExecutorService checks = Executors.newSingleThreadExecutor();
  private History history;
  private StatsView stats;

  @BeforeEach
  void storeAnHourAndAMinute() throws Exception {
    Clock clock = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
    ProcFiles proc = ProcFiles.system();
    NodeMetrics metrics = new NodeMetrics(proc, dir, List::of, List::of, clock);
    history = new History(dir.resolve("monitor.db"));
    // Three minutes of the first hour, then one of the next, which folds the first.
    history.addMinute(minute(START, 10, 2.5, 4, 3, 0.5, 0.2), START + 60);
    history.addMinute(minute(START + 60, 30, 1, 0, 0, 1.5, -1), START + 120);
    history.addMinute(minute(START + 120, 0, -1, 2, 2, -1, 0.1), START + 180);
    history.addMinute(minute(START + 3600, 5, 0.25, 1, 0, 0.75, 0), NOW);
    HistorySampler sampler =
        new HistorySampler(history, metrics, proc, List::of, clock, p -> {}, Map::of);
    PingMonitor pings =
        new PingMonitor(List::of, checks, a -> {}, "n", clock, new PrometheusRegistry());
    stats = new StatsView(history, metrics.front(), sampler, pings, clock);
  }

  @AfterEach
  void close() throws Exception {
    checks.shutdownNow();
    history.close();
  }

  /** A location's point (with CPU and pings where given) and the machine's, at {@code t}. */
  private static Map<String, Point> minute(
      long t, long requests, double cpu, long pings, long pingsOk, double load, double busy) {
    long[] latency = new long[LatencyBuckets.COUNT];
    latency[8] = requests / 2;
    latency[12] = requests - requests / 2;
    Point p = Point.ofTraffic(t, requests, requests / 10, latency);
    long i = (t - START) / 60;
    if (cpu >= 0) {
      p = p.withApp(new Point.AppUsage(cpu, 1000 + i * 7));
    }
    Map<String, Point> m = new LinkedHashMap<>();
    m.put("a.test", p.withPings(new PingTally(pings, pingsOk)));
    m.put(
        History.NODE,
        Point.ofMachine(
            t,
            new Point.Machine(load, 1000 + i * 11, 4000, i % 3, 10 + i % 5, 100, busy, busy / 2)));
    return m;
  }

  /** {@code text} with its single quotes made double: JSON that reads without escapes. */
  private static String json(String text) {
    return text.replace('\'', '"');
  }

  @Test
  void aLocationsMinutesShowEachFigure() throws Exception {
    assertThat(JSON.writeValueAsString(stats.location("a", "a.test", Duration.ofHours(2))))
        .isEqualTo(
            json(
                "{'location':'a.test','app':'a','since':7200,'resolution':60,'requests':45,"
                    + "'errors':4,'error_rate':0.08888888888888889,'requests_per_second':0.00625,"
                    + "'p50_ms':4.92,'p95_ms':11.649,'p99_ms':11.649,'ping_up':0.714,"
                    + "'points':[{'t':1800000000,'requests':10,'errors':1,'p50_ms':4.079,"
                    + "'p95_ms':11.649,'p99_ms':11.649,'cpu_seconds':2.5,'rss_bytes':1000,"
                    + "'ping_up':0.75},{'t':1800000060,'requests':30,'errors':3,'p50_ms':4.079,"
                    + "'p95_ms':11.649,'p99_ms':11.649,'cpu_seconds':1.0,'rss_bytes':1007,"
                    + "'ping_up':null},{'t':1800000120,'requests':0,'errors':0,'p50_ms':0.0,"
                    + "'p95_ms':0.0,'p99_ms':0.0,'cpu_seconds':null,'rss_bytes':null,'ping_up':1.0},"
                    + "{'t':1800003600,'requests':5,'errors':0,'p50_ms':11.649,'p95_ms':11.649,"
                    + "'p99_ms':11.649,'cpu_seconds':0.25,'rss_bytes':1420,'ping_up':0.0}]}"));
  }

  @Test
  void aLocationsHoursShowTheFoldedFigures() throws Exception {
    assertThat(JSON.writeValueAsString(stats.location("a", "a.test", Duration.ofDays(4))))
        .isEqualTo(
            json(
                "{'location':'a.test','app':'a','since':345600,'resolution':3600,'requests':40,"
                    + "'errors':4,'error_rate':0.1,'requests_per_second':1.1574074074074075E-4,"
                    + "'p50_ms':4.079,'p95_ms':11.649,'p99_ms':11.649,'ping_up':0.833,"
                    + "'points':[{'t':1800000000,'requests':40,'errors':4,'p50_ms':4.079,"
                    + "'p95_ms':11.649,'p99_ms':11.649,'cpu_seconds':3.5,'rss_bytes':1007,"
                    + "'ping_up':0.833}]}"));
  }

  @Test
  void theMachinesMinutesShowEachFigure() throws Exception {
    assertThat(JSON.writeValueAsString(stats.node(Duration.ofHours(2)).get("points")))
        .isEqualTo(
            json(
                "[{'t':1800000000,'load1':0.5,'cpu_busy':0.2,'memory_available_bytes':1000,"
                    + "'memory_total_bytes':4000,'swap_used_bytes':0,'disk_free_bytes':10,"
                    + "'disk_total_bytes':100,'memory_pressure':0.1},{'t':1800000060,'load1':1.5,"
                    + "'cpu_busy':null,'memory_available_bytes':1011,'memory_total_bytes':4000,"
                    + "'swap_used_bytes':1,'disk_free_bytes':11,'disk_total_bytes':100,"
                    + "'memory_pressure':null},{'t':1800000120,'load1':null,'cpu_busy':0.1,"
                    + "'memory_available_bytes':1022,'memory_total_bytes':4000,'swap_used_bytes':2,"
                    + "'disk_free_bytes':12,'disk_total_bytes':100,'memory_pressure':0.05},"
                    + "{'t':1800003600,'load1':0.75,'cpu_busy':0.0,'memory_available_bytes':1660,"
                    + "'memory_total_bytes':4000,'swap_used_bytes':0,'disk_free_bytes':10,"
                    + "'disk_total_bytes':100,'memory_pressure':0.0}]"));
  }

  @Test
  void theMachinesHoursShowTheFoldedFigures() throws Exception {
    assertThat(JSON.writeValueAsString(stats.node(Duration.ofDays(4)).get("points")))
        .isEqualTo(
            json(
                "[{'t':1800000000,'load1':1.0,'cpu_busy':0.15,'memory_available_bytes':1011,"
                    + "'memory_total_bytes':4000,'swap_used_bytes':2,'disk_free_bytes':11,"
                    + "'disk_total_bytes':100,'memory_pressure':0.1}]"));
  }
}

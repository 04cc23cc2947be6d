package org.silverlining.node.monitor;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code silver stats} shows, from the history and the minute still being counted: a
 * location's requests, error rate, latency quantiles, CPU and memory over time; or the machine's
 * load, memory, swap and disk with the capacity advice.
 */
public final class StatsView {
  private final History history;
  private final FrontMetrics front;
  private final HistorySampler sampler;
  private final PingMonitor pings;
  private final Clock clock;

  public StatsView(
      History history, FrontMetrics front, HistorySampler sampler, PingMonitor pings, Clock clock) {
    this.history = history;
    this.front = front;
    this.sampler = sampler;
    this.pings = pings;
    this.clock = clock;
  }

  /** The figures of {@code location} over the last {@code span}, the current minute included. */
  public Map<String, Object> location(String app, String location, Duration span)
      throws SQLException {
    long now = clock.millis() / 1000;
    long from = now - span.toSeconds();
    List<Point> points = new ArrayList<>(history.since(location, from, now));
    LocationTraffic current = front.traffic(location);
    long thisMinute = Math.floorDiv(now, History.MINUTE) * History.MINUTE;
    PingTally pinged = pings.peek(location);
    if (current != null || pinged.pings() > 0) {
      Point p =
          current != null
              ? current.peek(thisMinute)
              : Point.traffic(thisMinute, 0, 0, new long[LatencyBuckets.COUNT]);
      points.add(p.withPings(pinged.pings(), pinged.ok()));
    }
    long requests = points.stream().mapToLong(Point::requests).sum();
    long errors = points.stream().mapToLong(Point::errors).sum();
    Point all = Point.fold(from, points);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("location", location);
    m.put("app", app);
    m.put("since", span.toSeconds());
    m.put("resolution", History.resolutionFor(from, now));
    m.put("requests", requests);
    m.put("errors", errors);
    m.put("error_rate", requests == 0 ? 0.0 : (double) errors / requests);
    m.put("requests_per_second", (double) requests / Math.max(1, span.toSeconds()));
    m.put("p50_ms", round(all.p50()));
    m.put("p95_ms", round(all.p95()));
    m.put("p99_ms", round(all.p99()));
    m.put("ping_up", all.pingUp() < 0 ? null : round(all.pingUp()));
    List<Map<String, Object>> list = new ArrayList<>();
    for (Point p : points) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("t", p.t());
      e.put("requests", p.requests());
      e.put("errors", p.errors());
      e.put("p50_ms", round(p.p50()));
      e.put("p95_ms", round(p.p95()));
      e.put("p99_ms", round(p.p99()));
      e.put("cpu_seconds", p.cpu() < 0 ? null : round(p.cpu()));
      e.put("rss_bytes", p.rss() < 0 ? null : p.rss());
      e.put("ping_up", p.pingUp() < 0 ? null : round(p.pingUp()));
      list.add(e);
    }
    m.put("points", list);
    return m;
  }

  /** The machine's figures over the last {@code span}, and the advice from the last 7 days. */
  public Map<String, Object> node(Duration span) throws SQLException {
    long now = clock.millis() / 1000;
    long from = now - span.toSeconds();
    List<Point> points = history.since(History.NODE, from, now);
    long weekFrom = now - Duration.ofDays(CapacityAdvice.WINDOW_DAYS).toSeconds();
    List<Point> week = new ArrayList<>(history.since(History.NODE, weekFrom, now));
    Point current = sampler.machineNow();
    if (week.isEmpty()) {
      week.add(current);
    }
    CapacityAdvice advice =
        CapacityAdvice.of(week, week.size() == 1 ? 60 : History.resolutionFor(weekFrom, now));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("since", span.toSeconds());
    m.put("resolution", History.resolutionFor(from, now));
    m.put("now", machine(current));
    List<Map<String, Object>> list = new ArrayList<>();
    for (Point p : points) {
      list.add(machine(p));
    }
    m.put("points", list);
    m.put("advice", Map.of("verdict", advice.verdict(), "line", advice.line()));
    return m;
  }

  private static Map<String, Object> machine(Point p) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("t", p.t());
    e.put("load1", p.load1() < 0 ? null : round(p.load1()));
    e.put("cpu_busy", p.cpuBusy() < 0 ? null : round(p.cpuBusy()));
    e.put("memory_available_bytes", p.memAvailable() < 0 ? null : p.memAvailable());
    e.put("memory_total_bytes", p.memTotal() < 0 ? null : p.memTotal());
    e.put("swap_used_bytes", p.swapUsed() < 0 ? null : p.swapUsed());
    e.put("disk_free_bytes", p.diskFree() < 0 ? null : p.diskFree());
    e.put("disk_total_bytes", p.diskTotal() < 0 ? null : p.diskTotal());
    e.put("memory_pressure", p.memPressure() < 0 ? null : round(p.memPressure()));
    return e;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}

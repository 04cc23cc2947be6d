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
              : Point.ofTraffic(thisMinute, 0, 0, new long[LatencyBuckets.COUNT]);
      points.add(p.withPings(pinged));
    }
    Point all = Point.fold(from, points);
    long requests = all.traffic().requests();
    long errors = all.traffic().errors();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("location", location);
    m.put("app", app);
    m.put("since", span.toSeconds());
    m.put("resolution", History.resolutionFor(from, now));
    m.put("requests", requests);
    m.put("errors", errors);
    m.put("error_rate", requests == 0 ? 0.0 : (double) errors / requests);
    m.put("requests_per_second", (double) requests / Math.max(1, span.toSeconds()));
    m.put("p50_ms", round(all.traffic().p50()));
    m.put("p95_ms", round(all.traffic().p95()));
    m.put("p99_ms", round(all.traffic().p99()));
    m.put("ping_up", pingUp(all));
    List<Map<String, Object>> list = new ArrayList<>();
    for (Point p : points) {
      Map<String, Object> e = new LinkedHashMap<>();
      Point.Traffic traffic = p.traffic();
      e.put("t", p.t());
      e.put("requests", traffic.requests());
      e.put("errors", traffic.errors());
      e.put("p50_ms", round(traffic.p50()));
      e.put("p95_ms", round(traffic.p95()));
      e.put("p99_ms", round(traffic.p99()));
      e.put("cpu_seconds", p.app().cpu() < 0 ? null : round(p.app().cpu()));
      e.put("rss_bytes", p.app().rss() < 0 ? null : p.app().rss());
      e.put("ping_up", pingUp(p));
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
        CapacityAdvice.of(
            week.stream().map(Point::machine).toList(),
            week.size() == 1 ? 60 : History.resolutionFor(weekFrom, now));
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
    Point.Machine m = p.machine();
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("t", p.t());
    e.put("load1", m.load1() < 0 ? null : round(m.load1()));
    e.put("cpu_busy", m.cpuBusy() < 0 ? null : round(m.cpuBusy()));
    e.put("memory_available_bytes", m.memAvailable() < 0 ? null : m.memAvailable());
    e.put("memory_total_bytes", m.memTotal() < 0 ? null : m.memTotal());
    e.put("swap_used_bytes", m.swapUsed() < 0 ? null : m.swapUsed());
    e.put("disk_free_bytes", m.diskFree() < 0 ? null : m.diskFree());
    e.put("disk_total_bytes", m.diskTotal() < 0 ? null : m.diskTotal());
    e.put("memory_pressure", m.memPressure() < 0 ? null : round(m.memPressure()));
    return e;
  }

  /** The share of the point's ping checks that found the location up; null without checks. */
  private static Double pingUp(Point p) {
    double up = p.pings().up();
    return up < 0 ? null : round(up);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}

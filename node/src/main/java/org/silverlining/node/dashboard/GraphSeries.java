package org.silverlining.node.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of an app page's graphs as uPlot takes them: one array of times and one array per
 * line, from what {@code silver stats} shows ({@code StatsView}). Counts become rates per second of
 * each point's period, CPU seconds the cores used, RSS mebibytes; a figure not measured is null, a
 * gap in the line.
 */
final class GraphSeries {
  /** The spans the page offers, by name. */
  static final Map<String, Duration> SPANS =
      Map.of("1h", Duration.ofHours(1), "24h", Duration.ofHours(24), "7d", Duration.ofDays(7));

  /** The spans in the order the page offers them. */
  static final List<String> SPAN_NAMES = List.of("1h", "24h", "7d");

  static final String DEFAULT_SPAN = "1h";

  private GraphSeries() {}

  /** The span named {@code name}, or the default when it is not one of {@link #SPANS}. */
  static String span(String name) {
    return name != null && SPANS.containsKey(name) ? name : DEFAULT_SPAN;
  }

  /** Where the page's script reads the graphs of {@code location} over {@code span}. */
  static String path(String app, String location, String span) {
    return "/apps/"
        + AppPage.url(app)
        + "/graphs?location="
        + AppPage.url(location)
        + "&span="
        + span;
  }

  /** The columns of {@code stats} (a {@code StatsView.location} answer). */
  static Map<String, Object> of(Map<String, Object> stats) {
    double res = ((Number) stats.get("resolution")).doubleValue();
    List<Long> t = new ArrayList<>();
    List<Double> requests = new ArrayList<>();
    List<Double> errors = new ArrayList<>();
    List<Double> p50 = new ArrayList<>();
    List<Double> p95 = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    List<Double> memory = new ArrayList<>();
    for (Object o : (List<?>) stats.get("points")) {
      Map<?, ?> p = (Map<?, ?>) o;
      t.add(((Number) p.get("t")).longValue());
      long n = ((Number) p.get("requests")).longValue();
      requests.add(round(n / res));
      errors.add(round(((Number) p.get("errors")).longValue() / res));
      p50.add(n == 0 ? null : number(p.get("p50_ms")));
      p95.add(n == 0 ? null : number(p.get("p95_ms")));
      p99.add(n == 0 ? null : number(p.get("p99_ms")));
      Double seconds = number(p.get("cpu_seconds"));
      cpu.add(seconds == null ? null : round(seconds / res));
      Double rss = number(p.get("rss_bytes"));
      memory.add(rss == null ? null : round(rss / 1048576.0));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("location", stats.get("location"));
    m.put("resolution", stats.get("resolution"));
    m.put("t", t);
    m.put("requests", List.of(requests));
    m.put("latency", List.of(p50, p95, p99));
    m.put("errors", List.of(errors));
    m.put("cpu", List.of(cpu));
    m.put("memory", List.of(memory));
    return m;
  }

  private static Double number(Object o) {
    return o == null ? null : ((Number) o).doubleValue();
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}

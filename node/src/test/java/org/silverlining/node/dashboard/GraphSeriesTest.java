package org.silverlining.node.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The graphs' columns from what silver stats shows: rates per second, gaps where unmeasured. */
class GraphSeriesTest {
  @Test
  void countsBecomeRatesAndUnmeasuredFiguresGaps() {
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("location", "blog.test/");
    stats.put("resolution", 60);
    stats.put(
        "points",
        List.of(point(1000, 120, 6, 12.5, 3.0, 104857600L), point(1060, 0, 0, 0, null, null)));
    Map<String, Object> g = GraphSeries.of(stats);
    assertThat(g.get("t")).isEqualTo(List.of(1000L, 1060L));
    assertThat(g.get("requests")).isEqualTo(List.of(List.of(2.0, 0.0)));
    assertThat(g.get("errors")).isEqualTo(List.of(List.of(0.1, 0.0)));
    assertThat(g.get("latency"))
        .isEqualTo(
            List.of(
                Arrays.asList(12.5, null), Arrays.asList(25.0, null), Arrays.asList(50.0, null)));
    assertThat(g.get("cpu")).isEqualTo(List.of(Arrays.asList(0.05, null)));
    assertThat(g.get("memory")).isEqualTo(List.of(Arrays.asList(100.0, null)));
  }

  @Test
  void anUnknownSpanIsTheDefault() {
    assertThat(GraphSeries.span("7d")).isEqualTo("7d");
    assertThat(GraphSeries.span("1y")).isEqualTo("1h");
    assertThat(GraphSeries.span(null)).isEqualTo("1h");
  }

  private static Map<String, Object> point(
      long t, long requests, long errors, double p50, Double cpu, Long rss) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("t", t);
    p.put("requests", requests);
    p.put("errors", errors);
    p.put("p50_ms", p50);
    p.put("p95_ms", p50 * 2);
    p.put("p99_ms", p50 * 4);
    p.put("cpu_seconds", cpu);
    p.put("rss_bytes", rss);
    return p;
  }
}

package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silver stats [LOCATION]}: the node's own history, drawn as sparklines. */
@Command(
    name = "stats",
    description = {
      "Show what the node measured, from its own history (1-minute points for 48 h, hourly for 90 days).",
      "With LOCATION: requests per minute, error rate, p50/p95/p99 latency, CPU and memory of the app, and the share of ping checks that found it up (with a ping).",
      "Without: the machine's load, CPU, memory, swap and disk, and one line of capacity advice (bigger, smaller or right-sized, with the figures that decided it)."
    })
final class StatsCommand implements Callable<Integer> {
  private static final String BARS = "▁▂▃▄▅▆▇█";
  private static final int WIDTH = 60;

  @Parameters(index = "0", arity = "0..1", paramLabel = "LOCATION")
  String location;

  @Option(
      names = "--since",
      paramLabel = "SPAN",
      defaultValue = "24h",
      description = "How far back: 30m, 24h, 7d... (default: ${DEFAULT-VALUE}).")
  String since;

  @Mixin JsonOption output;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    Map<String, String> p = new LinkedHashMap<>();
    if (location != null) {
      p.put("location", location);
    }
    p.put("since", since);
    JsonNode r = node.client().get("stats", p);
    if (output.printed(r)) {
      return 0;
    }
    if (location != null) {
      printLocation(r);
    } else {
      printNode(r);
    }
    return 0;
  }

  private void printLocation(JsonNode r) {
    List<JsonNode> points = list(r.path("points"));
    System.out.printf(
        Locale.ROOT,
        "%s (%s), last %s: %d requests, %.2f/s, %.1f %% errors, p50 %s p95 %s p99 %s%n",
        r.path("location").asText(),
        r.path("app").asText(),
        since,
        r.path("requests").asLong(),
        r.path("requests_per_second").asDouble(),
        r.path("error_rate").asDouble() * 100,
        millis(r.path("p50_ms").asDouble()),
        millis(r.path("p95_ms").asDouble()),
        millis(r.path("p99_ms").asDouble()));
    if (points.isEmpty()) {
      System.out.println("no requests measured yet");
      return;
    }
    line("requests", points, p -> p.path("requests").asDouble(), v -> String.valueOf((long) v));
    line(
        "errors %",
        points,
        p ->
            p.path("requests").asLong() == 0
                ? 0
                : 100.0 * p.path("errors").asLong() / p.path("requests").asLong(),
        v -> String.format(Locale.ROOT, "%.1f", v));
    line("p95", points, p -> p.path("p95_ms").asDouble(), StatsCommand::millis);
    line("p99", points, p -> p.path("p99_ms").asDouble(), StatsCommand::millis);
    line("cpu s", points, p -> p.path("cpu_seconds").asDouble(), v -> fmt(v));
    line("rss", points, p -> p.path("rss_bytes").asDouble(), StatsCommand::bytes);
    // Only the points with ping checks: a minute without one is not a minute down.
    List<JsonNode> pinged = points.stream().filter(p -> p.path("ping_up").isNumber()).toList();
    if (!pinged.isEmpty()) {
      line(
          "ping up %",
          pinged,
          p -> p.path("ping_up").asDouble() * 100,
          v -> String.format(Locale.ROOT, "%.0f", v));
    }
  }

  private void printNode(JsonNode r) {
    JsonNode now = r.path("now");
    System.out.printf(
        Locale.ROOT,
        "node now: load %s, %s of %s memory available, %s swap used, %s of %s disk free%n",
        fmt(now.path("load1").asDouble()),
        bytes(now.path("memory_available_bytes").asDouble()),
        bytes(now.path("memory_total_bytes").asDouble()),
        bytes(now.path("swap_used_bytes").asDouble()),
        bytes(now.path("disk_free_bytes").asDouble()),
        bytes(now.path("disk_total_bytes").asDouble()));
    List<JsonNode> points = list(r.path("points"));
    if (!points.isEmpty()) {
      line("load", points, p -> p.path("load1").asDouble(), StatsCommand::fmt);
      line(
          "cpu %",
          points,
          p -> p.path("cpu_busy").asDouble() * 100,
          v -> String.format(Locale.ROOT, "%.0f", v));
      line(
          "mem avail",
          points,
          p -> p.path("memory_available_bytes").asDouble(),
          StatsCommand::bytes);
      line("swap", points, p -> p.path("swap_used_bytes").asDouble(), StatsCommand::bytes);
      line("disk free", points, p -> p.path("disk_free_bytes").asDouble(), StatsCommand::bytes);
    }
    System.out.println("advice: " + r.path("advice").path("line").asText());
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  /** One labelled sparkline of the points' values (the newest {@link #WIDTH}), low and high. */
  private static void line(
      String label,
      List<JsonNode> points,
      ToDoubleFunction<JsonNode> value,
      java.util.function.DoubleFunction<String> format) {
    List<JsonNode> shown = points.subList(Math.max(0, points.size() - WIDTH), points.size());
    double[] v = shown.stream().mapToDouble(value).toArray();
    System.out.printf(
        Locale.ROOT,
        "%-10s %s  %s .. %s%n",
        label,
        sparkline(v),
        format.apply(min(v)),
        format.apply(max(v)));
  }

  /** {@code values} as bars from lowest to highest: ▁ for the least, █ for the most. */
  static String sparkline(double[] values) {
    double lo = min(values);
    double hi = max(values);
    StringBuilder b = new StringBuilder(values.length);
    for (double v : values) {
      int i = hi <= lo ? 0 : (int) Math.round((v - lo) / (hi - lo) * (BARS.length() - 1));
      b.append(BARS.charAt(i));
    }
    return b.toString();
  }

  private static double min(double[] v) {
    double m = Double.MAX_VALUE;
    for (double d : v) {
      m = Math.min(m, d);
    }
    return v.length == 0 ? 0 : m;
  }

  private static double max(double[] v) {
    double m = -Double.MAX_VALUE;
    for (double d : v) {
      m = Math.max(m, d);
    }
    return v.length == 0 ? 0 : m;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String millis(double ms) {
    return ms >= 1000
        ? String.format(Locale.ROOT, "%.1fs", ms / 1000)
        : String.format(Locale.ROOT, "%.0fms", ms);
  }

  static String bytes(double b) {
    if (b < 0) {
      return "?";
    }
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (b >= 1024 && u < units.length - 1) {
      b /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
  }
}

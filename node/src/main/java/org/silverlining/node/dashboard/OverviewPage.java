package org.silverlining.node.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.silverlining.node.control.NodeStatus;
import org.silverlining.node.monitor.Monitor;

/**
 * {@code /}: the node at a glance. The machine's load, memory, swap and disk now with their last 24
 * hours and the capacity advice; every app with its status, its requests per second and error rate
 * over the last hour (with their graphs) and whether its pings find it up. Each app links to {@code
 * /apps/NAME} and carries {@code data-app="NAME"}.
 */
final class OverviewPage implements DashboardArea {
  static final Duration MACHINE_SPAN = Duration.ofHours(24);
  static final Duration APP_SPAN = Duration.ofHours(1);

  private final NodeStatus status;
  private final Monitor monitor;

  OverviewPage(NodeStatus status, Monitor monitor) {
    this.status = status;
    this.monitor = monitor;
  }

  @Override
  public void addPages(PageRoutes routes) {
    routes.nav("Overview", "/").page("/", this::render);
  }

  private Page render(PageRequest r) throws Exception {
    Html h = new Html();
    machine(h);
    apps(h);
    return new Page("Overview", h);
  }

  // --- the machine

  @SuppressWarnings("unchecked")
  private void machine(Html h) throws Exception {
    Map<String, Object> node = monitor.stats().node(MACHINE_SPAN);
    Map<String, Object> now = (Map<String, Object>) node.get("now");
    List<Map<String, Object>> points = (List<Map<String, Object>>) node.get("points");
    Map<String, Object> advice = (Map<String, Object>) node.get("advice");
    h.open("section", "aria-labelledby", "machine-heading", "class", "machine");
    h.element("h2", "Node", "id", "machine-heading");
    h.open("ul", "class", "figures");
    figure(
        h,
        "Load (1 min)",
        fixed(num(now, "load1")),
        series(points, p -> num(p, "load1")),
        "load",
        "Load over the last 24 hours");
    figure(
        h,
        "Memory available",
        bytes(num(now, "memory_available_bytes")) + " of " + bytes(num(now, "memory_total_bytes")),
        series(points, p -> num(p, "memory_available_bytes")),
        "memory",
        "Available memory over the last 24 hours");
    figure(
        h,
        "Swap used",
        bytes(num(now, "swap_used_bytes")),
        series(points, p -> num(p, "swap_used_bytes")),
        "swap",
        "Swap used over the last 24 hours");
    figure(
        h,
        "Disk free",
        bytes(num(now, "disk_free_bytes")) + " of " + bytes(num(now, "disk_total_bytes")),
        series(points, p -> num(p, "disk_free_bytes")),
        "disk",
        "Free disk space over the last 24 hours");
    h.close();
    String verdict = String.valueOf(advice.get("verdict"));
    h.open("p", "class", "advice advice-" + verdict, "data-advice", verdict)
        .element("strong", "Capacity: ")
        .text(String.valueOf(advice.get("line")))
        .close();
    h.close();
  }

  private static void figure(
      Html h, String name, String value, double[] series, String graph, String label) {
    h.open("li", "class", "figure");
    h.element("span", name, "class", "figure-name");
    h.element("span", value, "class", "figure-value");
    Sparkline.write(h, label, series, graph);
    h.close();
  }

  // --- apps

  /** One app's line: its status and its locations' figures added up. */
  private record AppLine(
      String name,
      String state,
      List<String> locations,
      long requests,
      long errors,
      double[] requestsPerMinute,
      double[] errorRate,
      Double pingUp) {}

  private void apps(Html h) throws Exception {
    List<AppLine> apps = appLines();
    h.open("section", "aria-labelledby", "apps-heading", "class", "apps");
    h.element("h2", "Apps", "id", "apps-heading");
    if (apps.isEmpty()) {
      h.open("p")
          .text("No app is deployed on this node yet. Deploy one with ")
          .element("code", "silver update APP_FOLDER LOCATION")
          .text(".")
          .close();
      h.close();
      return;
    }
    h.open("div", "class", "table-wrap");
    h.open("table", "class", "apps-table");
    h.element("caption", "Requests and errors over the last hour", "class", "sr-hint");
    h.open("thead").open("tr");
    for (String c : List.of("App", "Status", "Locations", "Requests/s", "Errors", "Ping")) {
      h.element("th", c, "scope", "col");
    }
    h.close().close();
    h.open("tbody");
    for (AppLine a : apps) {
      h.open("tr", "data-app-row", a.name());
      h.open("th", "scope", "row")
          .element("a", a.name(), "href", "/apps/" + a.name(), "data-app", a.name())
          .close();
      h.open("td").element("span", a.state(), "class", "state state-" + a.state()).close();
      h.element("td", String.join(", ", a.locations()));
      h.open("td", "class", "num", "data-label", "Requests/s");
      h.element(
          "span",
          String.format(Locale.ROOT, "%.2f", a.requests() / (double) APP_SPAN.toSeconds()),
          "class",
          "figure-value");
      Sparkline.write(
          h,
          a.name() + ": requests per minute over the last hour",
          a.requestsPerMinute(),
          "requests");
      h.close();
      h.open("td", "class", "num", "data-label", "Errors");
      h.element(
          "span",
          a.requests() == 0
              ? "–"
              : String.format(Locale.ROOT, "%.1f %%", 100.0 * a.errors() / a.requests()),
          "class",
          "figure-value");
      Sparkline.write(
          h,
          a.name() + ": share of 5xx answers per minute over the last hour",
          a.errorRate(),
          "errors");
      h.close();
      h.element(
          "td",
          a.pingUp() == null
              ? "no ping"
              : a.pingUp() >= 1 ? "up" : String.format(Locale.ROOT, "up %.0f %%", a.pingUp() * 100),
          "class",
          a.pingUp() == null ? "ping" : a.pingUp() >= 1 ? "ping ping-up" : "ping ping-down");
      h.close();
    }
    h.close().close().close();
    h.close();
  }

  @SuppressWarnings("unchecked")
  private List<AppLine> appLines() throws Exception {
    Map<String, Object> all = status.query();
    List<Map<String, Object>> locations = (List<Map<String, Object>>) all.get("locations");
    List<AppLine> lines = new ArrayList<>();
    for (Map<String, Object> app : (List<Map<String, Object>>) all.get("apps")) {
      String name = (String) app.get("name");
      List<String> mine = new ArrayList<>();
      TreeMap<Long, long[]> perMinute = new TreeMap<>();
      long requests = 0;
      long errors = 0;
      long pings = 0;
      double pingSum = 0;
      for (Map<String, Object> l : locations) {
        if (!name.equals(l.get("app"))) {
          continue;
        }
        String location = (String) l.get("location");
        mine.add(location);
        Map<String, Object> stats = monitor.stats().location(name, location, APP_SPAN);
        requests += ((Number) stats.get("requests")).longValue();
        errors += ((Number) stats.get("errors")).longValue();
        if (stats.get("ping_up") instanceof Number up) {
          pings++;
          pingSum += up.doubleValue();
        }
        for (Map<String, Object> p : (List<Map<String, Object>>) stats.get("points")) {
          long[] m = perMinute.computeIfAbsent(((Number) p.get("t")).longValue(), t -> new long[2]);
          m[0] += ((Number) p.get("requests")).longValue();
          m[1] += ((Number) p.get("errors")).longValue();
        }
      }
      double[] rpm = new double[perMinute.size()];
      double[] rate = new double[perMinute.size()];
      int i = 0;
      for (long[] m : perMinute.values()) {
        rpm[i] = m[0];
        rate[i] = m[0] == 0 ? 0 : (double) m[1] / m[0];
        i++;
      }
      lines.add(
          new AppLine(
              name,
              state(app),
              mine,
              requests,
              errors,
              rpm,
              rate,
              pings == 0 ? null : pingSum / pings));
    }
    return lines;
  }

  /** disabled, running, or the newest instance's status (failed, deploying...), or idle. */
  @SuppressWarnings("unchecked")
  private static String state(Map<String, Object> app) {
    if (Boolean.TRUE.equals(app.get("disabled"))) {
      return "disabled";
    }
    List<Map<String, Object>> instances = (List<Map<String, Object>>) app.get("instances");
    if (instances.stream().anyMatch(i -> Boolean.TRUE.equals(i.get("running")))) {
      return "running";
    }
    return instances.isEmpty() ? "idle" : String.valueOf(instances.get(0).get("status"));
  }

  // --- figures

  private static double num(Map<String, Object> m, String key) {
    return m.get(key) instanceof Number n ? n.doubleValue() : -1;
  }

  private static double[] series(
      List<Map<String, Object>> points,
      java.util.function.ToDoubleFunction<Map<String, Object>> f) {
    return points.stream().mapToDouble(f).toArray();
  }

  private static String fixed(double v) {
    return v < 0 ? "–" : String.format(Locale.ROOT, "%.2f", v);
  }

  static String bytes(double b) {
    if (b < 0) {
      return "–";
    }
    if (b < 1 << 20) {
      return String.format(Locale.ROOT, "%.0f KiB", b / 1024);
    }
    if (b < 1L << 30) {
      return String.format(Locale.ROOT, "%.0f MiB", b / (1 << 20));
    }
    return String.format(Locale.ROOT, "%.1f GiB", b / (1L << 30));
  }
}

package org.silverlining.node.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.silverlining.node.control.ConfigView;
import org.silverlining.node.control.Jobs;
import org.silverlining.node.deploy.RegistryView;
import org.silverlining.node.state.StateStore;

/**
 * An app's page (the content of the shell's {@code <main>}): status and actions, locations,
 * instances and processes, graphs, deployments with a diff between two, the live log, error groups,
 * cron jobs, task queues, backups, configuration revisions and middleware. Every action is a POST
 * form with the session's token that asks for confirmation first ({@link AppActions}). The hooks
 * for tests and scripts ({@code data-graph}, {@code data-deployment}, {@code data-log}, {@code
 * data-action}) are part of the dashboard's documented interface.
 */
final class AppPage {
  /** The graphs, in the order shown: hook and caption. */
  static final List<List<String>> GRAPHS =
      List.of(
          List.of("requests", "Requests per second"),
          List.of("latency", "Latency p50 / p95 / p99 (ms)"),
          List.of("errors", "Server errors (5xx) per second"),
          List.of("cpu", "CPU (cores used)"),
          List.of("memory", "Memory (RSS, MiB)"));

  private final AppPageData d;
  private final String csrf;
  private final String span;
  private final Html h = new Html();

  private AppPage(AppPageData d, String csrf, String span) {
    this.d = d;
    this.csrf = csrf;
    this.span = span;
  }

  /**
   * The page of {@code d}, its forms carrying {@code csrf}, its graphs over {@code span} (one of
   * {@link GraphSeries#SPANS}).
   */
  static Html render(AppPageData d, String csrf, String span) {
    return new AppPage(d, csrf, span).render();
  }

  /** The app page's path, about {@code location} when not null. */
  static String path(String app, String location) {
    return "/apps/" + url(app) + (location == null ? "" : "?location=" + url(location));
  }

  static String url(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private Html render() {
    status();
    locations();
    instances();
    if (d.location() != null) {
      graphs();
      deployments();
    }
    log();
    if (d.location() != null) {
      errors();
      cron();
      tasks();
      backups();
      config();
      MiddlewareSection.write(h, d, csrf);
    }
    return h;
  }

  private void status() {
    h.open("div", "class", "actions");
    h.element(
        "span",
        d.disabled() ? "disabled" : "enabled",
        "class",
        d.disabled() ? "status bad" : "status ok",
        "data-status",
        d.disabled() ? "disabled" : "enabled");
    action(d.disabled() ? AppAction.ENABLE : AppAction.DISABLE, Map.of());
    Map<String, Object> l = d.locationEntry();
    if (l != null && l.get("previous") != null) {
      action(AppAction.ROLLBACK, Map.of("location", d.location()));
    }
    h.close();
  }

  private void locations() {
    section("locations", "Locations");
    if (d.locations().isEmpty()) {
      h.element("p", d.app() + " serves no location on this node.");
    } else {
      tableHead("Location", "Live instance", "Previous", "URLs");
      for (Map<String, Object> l : d.locations()) {
        String loc = (String) l.get("location");
        h.open("tr").open("th", "scope", "row");
        if (loc.equals(d.location())) {
          h.element("strong", loc, "aria-current", "true");
        } else {
          h.element("a", loc, "href", path(d.app(), loc));
        }
        h.close();
        cell(l.get("active"));
        cell(l.get("previous"));
        h.open("td");
        for (Object u : (List<?>) l.get("urls")) {
          h.element("a", u.toString(), "href", u.toString()).text(" ");
        }
        h.close().close();
      }
      tableEnd();
    }
    h.close();
  }

  private void instances() {
    section("instances", "Instances and processes");
    if (d.instances().isEmpty()) {
      h.element("p", "No instance.");
    } else {
      tableHead("Instance", "Status", "Location", "Created", "Processes");
      for (Map<String, Object> i : d.instances()) {
        h.open("tr").element("th", str(i.get("name")), "scope", "row");
        cell(i.get("status") + (Boolean.TRUE.equals(i.get("running")) ? ", running" : ""));
        cell(i.get("location"));
        timeCell(i.get("created"));
        h.open("td").open("ul", "class", "procs");
        for (Object o : (List<?>) i.get("processes")) {
          Map<?, ?> p = (Map<?, ?>) o;
          h.element(
              "li",
              "pid "
                  + p.get("pid")
                  + ", port "
                  + p.get("port")
                  + ", "
                  + p.get("state")
                  + ", "
                  + p.get("restarts")
                  + " restarts");
        }
        h.close().close().close();
      }
      tableEnd();
    }
    h.close();
  }

  private void graphs() {
    section("graphs", "Traffic and resources");
    h.open("nav", "class", "spans", "aria-label", "Time span");
    for (String s : GraphSeries.SPAN_NAMES) {
      if (s.equals(span)) {
        h.element("strong", s, "aria-current", "true");
      } else {
        h.element("a", s, "href", path(d.app(), d.location()) + "&span=" + s + "#graphs");
      }
      h.text(" ");
    }
    h.close();
    h.open("div", "class", "graphs", "data-graphs", GraphSeries.path(d.app(), d.location(), span));
    for (List<String> g : GRAPHS) {
      h.open("figure", "data-graph", g.get(0)).element("figcaption", g.get(1)).close();
    }
    h.close();
    h.open("noscript")
        .text("The graphs need JavaScript; ")
        .element("code", "silver stats " + d.location())
        .text(" shows the same figures.")
        .close();
    h.close();
  }

  private void deployments() {
    section("deployments", "Deployments");
    AppPageData.Part<RegistryView.Registry> part = d.deployments();
    if (problem(part)) {
      return;
    }
    List<Map<String, Object>> list = part.value().deployments();
    tableHead(
        "#",
        "Instance",
        "Outcome",
        "Stages (ms)",
        "Who",
        "Started",
        "Version control",
        "Config",
        "");
    for (Map<String, Object> r : list) {
      boolean live = Boolean.TRUE.equals(r.get("live"));
      String status = str(r.get("status"));
      h.open("tr", "data-deployment", str(r.get("id")), "class", live ? "live" : null);
      cell(r.get("id"));
      h.open("th", "scope", "row").text(str(r.get("instance")));
      if (live) {
        h.text(" ").element("span", "live", "class", "status ok");
      }
      h.close();
      h.open("td").element("span", status, "class", "status " + outcomeClass(status));
      if (r.get("error") != null && !str(r.get("error")).isEmpty()) {
        h.text(" at " + r.get("stage") + ": ")
            .element("span", str(r.get("error")), "class", "error");
      }
      h.close();
      StringBuilder stages = new StringBuilder();
      ((Map<?, ?>) r.get("stages"))
          .forEach((k, v) -> stages.append(k).append(' ').append(v).append(", "));
      h.element("td", trimComma(stages), "class", "small");
      cell(r.get("who"));
      timeCell(r.get("started"));
      StringBuilder vcs = new StringBuilder();
      ((Map<?, ?>) r.get("vcs"))
          .forEach((k, v) -> vcs.append(k).append(": ").append(v).append(", "));
      h.element("td", trimComma(vcs), "class", "small");
      cell(r.get("config_revision"));
      h.open("td");
      if (!live && status.equals("ok") && r.get("instance") != null) {
        action(
            AppAction.ACTIVATE,
            Map.of("location", d.location(), "instance", str(r.get("instance"))));
      }
      h.close().close();
    }
    tableEnd();
    diffForm(list);
    h.close();
  }

  private static String outcomeClass(String status) {
    return status.equals("ok") ? "ok" : status.equals("failed") ? "bad" : "";
  }

  /** Two lists of the deployed instances and a button: the files that differ between them. */
  private void diffForm(List<Map<String, Object>> list) {
    List<String> instances =
        list.stream()
            .filter(r -> "ok".equals(r.get("status")) && r.get("instance") != null)
            .map(r -> str(r.get("instance")))
            .distinct()
            .toList();
    if (instances.size() < 2) {
      return;
    }
    h.open("form", "method", "get", "class", "diff", "action", "/apps/" + url(d.app()) + "/diff");
    h.empty("input", "type", "hidden", "name", "location", "value", d.location());
    select("a", "Compare", instances, instances.get(1));
    select("b", "with", instances, instances.get(0));
    h.element("button", "Show the files that differ", "type", "submit");
    h.close();
  }

  private void select(String name, String label, List<String> options, String chosen) {
    h.open("label").text(label + " ").open("select", "name", name);
    for (String o : options) {
      h.element("option", o, "selected", o.equals(chosen) ? "selected" : null);
    }
    h.close().close().text(" ");
  }

  private void log() {
    section("log", "Live log");
    h.element(
        "pre",
        "",
        "class",
        "log",
        "tabindex",
        "0",
        "role",
        "log",
        "aria-label",
        "The app's log, newest line last",
        "data-log",
        LogEvents.path(d.app()));
    h.open("noscript")
        .text("The live log needs JavaScript; ")
        .element(
            "code", "silver logs " + (d.location() == null ? d.app() : d.location()) + " --follow")
        .text(" shows the same lines.")
        .close();
    h.close();
  }

  private void errors() {
    section("errors", "Error groups");
    AppPageData.Part<Map<String, Object>> part = d.errors();
    if (problem(part)) {
      return;
    }
    List<?> groups = (List<?>) part.value().get("groups");
    if (groups.isEmpty()) {
      h.element("p", "No errors reported by the live instance.");
    } else {
      tableHead("Error", "Kind", "Count", "First seen", "Last seen");
      for (Object o : groups) {
        Map<?, ?> g = (Map<?, ?>) o;
        h.open("tr").open("th", "scope", "row").open("details");
        h.element("summary", g.get("type") + ": " + g.get("message"));
        h.element("pre", str(g.get("sample")));
        h.close().close();
        cell(g.get("kind"));
        cell(g.get("count"));
        timeCell(g.get("first_seen"));
        timeCell(g.get("last_seen"));
        h.close();
      }
      tableEnd();
    }
    h.close();
  }

  private void cron() {
    section("cron", "Cron jobs");
    AppPageData.Part<Jobs.CronJobs> part = d.cron();
    if (problem(part)) {
      return;
    }
    if (part.value().jobs().isEmpty()) {
      h.element("p", "No cron jobs: the [cron] section of app.ini declares them.");
    } else {
      tableHead("Job", "Schedule", "Next run", "Last run", "");
      for (Map<String, Object> j : part.value().jobs()) {
        h.open("tr").element("th", str(j.get("job")), "scope", "row");
        h.open("td").element("code", str(j.get("schedule"))).text(" " + j.get("zone")).close();
        h.open("td");
        time(j.get("next"));
        if (Boolean.TRUE.equals(j.get("running"))) {
          h.text(" (running now)");
        }
        h.close().open("td");
        if (j.get("last") instanceof StateStore.CronRunRecord last) {
          h.element(
              "span",
              last.status(),
              "class",
              "status " + (last.status().equals("ok") ? "ok" : "bad"));
          h.text(" ");
          time(last.started());
          h.text(", " + last.millis() + " ms");
        } else {
          h.text("never");
        }
        h.close().open("td");
        action(AppAction.RUN_CRON, Map.of("location", d.location(), "job", str(j.get("job"))));
        h.close().close();
      }
      tableEnd();
    }
    h.close();
  }

  private void tasks() {
    section("tasks", "Task queues");
    AppPageData.Part<Map<String, Object>> part = d.tasks();
    if (problem(part)) {
      return;
    }
    tableHead("Queue", "Rate", "Tasks by state");
    for (Object o : (List<?>) part.value().get("queues")) {
      Map<?, ?> q = (Map<?, ?>) o;
      h.open("tr").element("th", str(q.get("queue")), "scope", "row");
      cell(q.get("rate"));
      StringBuilder counts = new StringBuilder();
      ((Map<?, ?>) q.get("counts"))
          .forEach((k, v) -> counts.append(k).append(' ').append(v).append(", "));
      cell(counts.isEmpty() ? "empty" : trimComma(counts));
      h.close();
    }
    tableEnd();
    List<?> failures = (List<?>) part.value().get("failures");
    if (!failures.isEmpty()) {
      h.element("h3", "Failed and dead tasks");
      tableHead("Task", "Queue", "Request", "State", "Retries", "Last result", "");
      for (Object o : failures) {
        Map<?, ?> f = (Map<?, ?>) o;
        h.open("tr")
            .element(
                "th",
                f.get("id") + (f.get("name") == null ? "" : " " + f.get("name")),
                "scope",
                "row");
        cell(f.get("queue"));
        h.open("td").element("code", f.get("method") + " " + f.get("path")).close();
        cell(f.get("state"));
        cell(f.get("retries"));
        cell(f.get("last_result"));
        h.open("td");
        if ("dead".equals(f.get("state"))) {
          action(AppAction.RETRY, Map.of("location", d.location(), "task", str(f.get("id"))));
        }
        h.close().close();
      }
      tableEnd();
    }
    h.close();
  }

  private void backups() {
    section("backups", "Checkpoints and backups");
    AppPageData.Part<Map<String, Object>> part = d.backups();
    if (problem(part)) {
      return;
    }
    Map<String, Object> b = part.value();
    h.open("p");
    if (b.get("schedule") == null) {
      h.text("No scheduled backups (backup.schedule in app.ini or node.ini). ");
    } else {
      h.text("Scheduled ").element("code", str(b.get("schedule")));
      h.text(", keeping the newest " + b.get("keep") + "; next ");
      time(b.get("next"));
      h.text(". ");
    }
    List<String> services = strings(b.get("services"));
    h.text("Services: " + (services.isEmpty() ? "none" : String.join(", ", services)) + ".");
    h.close();
    action(AppAction.BACKUP, Map.of("location", d.location()));
    List<?> list = (List<?>) b.get("backups");
    if (!list.isEmpty()) {
      tableHead("Id", "Kind", "Created", "Why", "Services", "Size");
      for (Object o : list) {
        Map<?, ?> c = (Map<?, ?>) o;
        h.open("tr").element("th", str(c.get("id")), "scope", "row");
        cell(c.get("kind"));
        timeCell(c.get("created"));
        cell(c.get("reason"));
        cell(String.join(", ", strings(c.get("services"))));
        cell(bytes(((Number) c.get("bytes")).longValue()));
        h.close();
      }
      tableEnd();
    }
    h.close();
  }

  private void config() {
    section("config", "Configuration revisions");
    AppPageData.Part<ConfigView.History> part = d.config();
    if (problem(part)) {
      return;
    }
    ConfigView.History c = part.value();
    if (c.revisions().isEmpty()) {
      h.open("p")
          .text("No configuration uploaded (")
          .element("code", "silver update --config")
          .text(").")
          .close();
    } else {
      tableHead("Revision", "Who", "When", "Message", "Files", "");
      for (ConfigView.RevisionEntry r : c.revisions()) {
        boolean current = r.revision() == c.current();
        h.open("tr", "class", current ? "live" : null)
            .open("th", "scope", "row")
            .text(String.valueOf(r.revision()));
        if (current) {
          h.text(" ").element("span", "current", "class", "status ok");
        }
        h.close();
        cell(r.who());
        timeCell(r.when());
        cell(r.message());
        cell(r.files());
        h.open("td");
        if (!current) {
          action(
              AppAction.REVERT,
              Map.of("location", d.location(), "revision", String.valueOf(r.revision())));
        }
        h.close().close();
      }
      tableEnd();
    }
    h.close();
  }

  // --- pieces

  private void section(String id, String title) {
    h.open("section", "id", id, "aria-labelledby", id + "-h");
    h.element("h2", title, "id", id + "-h");
  }

  /** Writes the part's problem and ends the section when there is one. */
  private boolean problem(AppPageData.Part<?> part) {
    if (part.problem() == null) {
      return false;
    }
    h.element("p", part.problem(), "class", "problem");
    h.close();
    return true;
  }

  private void tableHead(String... columns) {
    h.open("div", "class", "table-wrap").open("table").open("thead").open("tr");
    for (String c : columns) {
      h.element("th", c, "scope", "col");
    }
    h.close().close().open("tbody");
  }

  private void tableEnd() {
    h.close().close().close();
  }

  private void cell(Object value) {
    h.element("td", value == null ? "" : value.toString());
  }

  private void timeCell(Object iso) {
    h.open("td");
    time(iso);
    h.close();
  }

  private void time(Object iso) {
    if (iso == null) {
      return;
    }
    String s = iso.toString();
    h.element(
        "time",
        s.length() >= 19 ? s.substring(0, 10) + " " + s.substring(11, 19) : s,
        "datetime",
        s);
  }

  private void action(AppAction a, Map<String, String> params) {
    AppActions.form(h, d.app(), a, params, csrf, false);
  }

  private static String str(Object o) {
    return o == null ? "" : o.toString();
  }

  private static String trimComma(StringBuilder b) {
    return b.length() >= 2 ? b.substring(0, b.length() - 2) : b.toString();
  }

  private static List<String> strings(Object list) {
    return ((List<?>) list).stream().map(String::valueOf).toList();
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    if (n < 1024 * 1024) {
      return n / 1024 + " KiB";
    }
    return String.format(Locale.ROOT, "%.1f MiB", n / 1048576.0);
  }
}

package org.silverlining.node.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An app's page (the content of the shell's {@code <main>}): status and actions, locations,
 * instances and processes, graphs, deployments with a diff between two, the live log, error groups,
 * cron jobs, task queues, backups, configuration revisions and middleware. Every action is a POST
 * form with the session's token that asks for confirmation first ({@link AppActions}). The hooks
 * for tests and scripts ({@code data-graph}, {@code data-deployment}, {@code data-log}, {@code
 * data-action}) are part of the dashboard's documented interface. Each section is a class of its
 * own ({@link AppSection}).
 */
final class AppPage {
  private AppPage() {}

  /**
   * The page of {@code d}, its forms carrying {@code csrf}, its graphs over {@code span} (one of
   * {@link GraphSeries#SPANS}).
   */
  static Html render(AppPageData d, String csrf, String span) {
    Html h = new Html();
    status(h, d, csrf);
    for (AppSection s : sections(h, d, csrf, span)) {
      s.write();
    }
    return h;
  }

  /** The sections in the order shown: those about a location only when the page is about one. */
  private static List<AppSection> sections(Html h, AppPageData d, String csrf, String span) {
    if (d.location() == null) {
      return List.of(
          new LocationsSection(h, d, csrf),
          new InstancesSection(h, d, csrf),
          new LogSection(h, d, csrf));
    }
    return List.of(
        new LocationsSection(h, d, csrf),
        new InstancesSection(h, d, csrf),
        new GraphsSection(h, d, csrf, span),
        new DeploymentsSection(h, d, csrf),
        new LogSection(h, d, csrf),
        new ErrorsSection(h, d, csrf),
        new CronSection(h, d, csrf),
        new TasksSection(h, d, csrf),
        new BackupsSection(h, d, csrf),
        new ConfigSection(h, d, csrf),
        new MiddlewareSection(h, d, csrf));
  }

  /** The app page's path, about {@code location} when not null. */
  static String path(String app, String location) {
    return "/apps/" + url(app) + (location == null ? "" : "?location=" + url(location));
  }

  static String url(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The app's state (enabled or disabled) with the actions about the whole app. */
  private static void status(Html h, AppPageData d, String csrf) {
    h.open("div", "class", "actions");
    h.element(
        "span",
        d.disabled() ? "disabled" : "enabled",
        "class",
        d.disabled() ? "status bad" : "status ok",
        "data-status",
        d.disabled() ? "disabled" : "enabled");
    AppActions.form(
        h, d.app(), d.disabled() ? AppAction.ENABLE : AppAction.DISABLE, Map.of(), csrf, false);
    Map<String, Object> l = d.locationEntry();
    if (l != null && l.get("previous") != null) {
      AppActions.form(
          h, d.app(), AppAction.ROLLBACK, Map.of("location", d.location()), csrf, false);
    }
    h.close();
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

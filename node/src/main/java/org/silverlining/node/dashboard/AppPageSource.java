package org.silverlining.node.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.silverlining.node.control.Backups;
import org.silverlining.node.control.ConfigView;
import org.silverlining.node.control.Jobs;
import org.silverlining.node.control.Locations;
import org.silverlining.node.control.NodeStatus;
import org.silverlining.node.control.Releases;
import org.silverlining.node.errors.NotFoundException;
import org.silverlining.node.errors.RefusedException;
import org.silverlining.node.middleware.Middlewares;
import org.silverlining.node.monitor.Monitor;

/** Reads an app's page from the facades the management API uses. */
final class AppPageSource {
  /** Deployments listed on the page, newest first. */
  static final int DEPLOYMENTS_SHOWN = 30;

  private final NodeStatus status;
  private final Releases releases;
  private final Jobs jobs;
  private final Backups backups;
  private final ConfigView config;
  private final Monitor monitor;
  private final Middlewares middlewares;

  AppPageSource(
      NodeStatus status,
      Releases releases,
      Jobs jobs,
      Backups backups,
      ConfigView config,
      Monitor monitor,
      Middlewares middlewares) {
    this.middlewares = middlewares;
    this.status = status;
    this.releases = releases;
    this.jobs = jobs;
    this.backups = backups;
    this.config = config;
    this.monitor = monitor;
  }

  /** Refuses (not found) an app that is not on this node. */
  void requireApp(String app) throws Exception {
    app(app, status.query());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> app(String app, Map<String, Object> all) {
    for (Map<String, Object> a : (List<Map<String, Object>>) all.get("apps")) {
      if (a.get("name").equals(app)) {
        return a;
      }
    }
    throw new NotFoundException("no app named " + app + " on this node");
  }

  /** A part of the page read by a facade call, which may refuse. */
  private interface Read<T> {
    T get() throws Exception;
  }

  /**
   * The page of {@code app} about {@code location} (null: its first location); not found when no
   * such app is on this node, or when it does not serve {@code location}.
   */
  @SuppressWarnings("unchecked")
  AppPageData read(String app, String location) throws Exception {
    Map<String, Object> all = status.query();
    Map<String, Object> entry = app(app, all);
    List<Map<String, Object>> locations = new ArrayList<>();
    for (Map<String, Object> l : (List<Map<String, Object>>) all.get("locations")) {
      if (l.get("app").equals(app)) {
        locations.add(l);
      }
    }
    String chosen = null;
    if (location != null) {
      String key = Locations.key(location);
      if (locations.stream().noneMatch(l -> l.get("location").equals(key))) {
        throw new NotFoundException(app + " does not serve " + key);
      }
      chosen = key;
    } else if (!locations.isEmpty()) {
      chosen = (String) locations.get(0).get("location");
    }
    String at = chosen;
    String none = app + " serves no location on this node";
    return new AppPageData(
        app,
        (Boolean) entry.get("disabled"),
        (List<Map<String, Object>>) entry.get("instances"),
        locations,
        at,
        part(at, none, () -> releases.deployments(at, DEPLOYMENTS_SHOWN)),
        part(at, none, () -> jobs.cronJobs(at)),
        part(at, none, () -> jobs.taskQueues(at)),
        part(at, none, () -> backups.list(at)),
        part(at, none, () -> config.history(at)),
        part(at, none, () -> monitor.errors(app, at)),
        part(at, none, () -> middlewares.show(at)),
        middlewares.available());
  }

  private static <T> AppPageData.Part<T> part(String location, String none, Read<T> read)
      throws Exception {
    if (location == null) {
      return AppPageData.Part.missing(none);
    }
    try {
      return AppPageData.Part.of(read.get());
    } catch (RefusedException e) {
      return AppPageData.Part.missing(e.getMessage());
    }
  }
}

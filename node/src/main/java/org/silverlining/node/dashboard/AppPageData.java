package org.silverlining.node.dashboard;

import java.util.List;
import java.util.Map;
import org.silverlining.node.control.ConfigView;
import org.silverlining.node.control.Jobs;
import org.silverlining.node.deploy.RegistryView;
import org.silverlining.node.middleware.Middlewares;
import org.silverlining.node.middleware.PackInfo;

/**
 * What an app's page shows, read from the management API's facades: the app, its instances and
 * locations, and for the location chosen its deployments, cron jobs, task queues, backups,
 * configuration revisions, error groups and middleware (with the packs that can be applied). A part
 * that cannot be read (nothing is live there, say) carries the reason instead, and the rest of the
 * page still shows.
 *
 * @param location the location the page is about; null when the app serves none
 */
record AppPageData(
    String app,
    boolean disabled,
    List<Map<String, Object>> instances,
    List<Map<String, Object>> locations,
    String location,
    Part<RegistryView.Registry> deployments,
    Part<Jobs.CronJobs> cron,
    Part<Map<String, Object>> tasks,
    Part<Map<String, Object>> backups,
    Part<ConfigView.History> config,
    Part<Map<String, Object>> errors,
    Part<Middlewares.Stack> middleware,
    List<PackInfo> packs) {

  /** One part of the page: its value, or why there is none. */
  record Part<T>(T value, String problem) {
    static <T> Part<T> of(T value) {
      return new Part<>(value, null);
    }

    static <T> Part<T> missing(String problem) {
      return new Part<>(null, problem);
    }
  }

  /** The location's entry among {@link #locations}, or null. */
  Map<String, Object> locationEntry() {
    for (Map<String, Object> l : locations) {
      if (l.get("location").equals(location)) {
        return l;
      }
    }
    return null;
  }
}

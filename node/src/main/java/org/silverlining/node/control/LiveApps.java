package org.silverlining.node.control;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.silverlining.core.AppConfig;
import org.silverlining.node.backup.BackupService;
import org.silverlining.node.errors.ConflictException;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.layout.Trees;
import org.silverlining.node.service.AppServices;
import org.silverlining.node.service.Services;
import org.silverlining.node.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apps live on this node with the services bound to them: for backups, for clearing, and for
 * cleaning away what no location uses.
 */
public final class LiveApps {
  private static final Logger log = LoggerFactory.getLogger(LiveApps.class);

  private final NodeLayout layout;
  private final StateStore state;
  private final Locations locations;
  private final AppServices appServices;

  public LiveApps(
      NodeLayout layout, StateStore state, Locations locations, AppServices appServices) {
    this.layout = layout;
    this.state = state;
    this.locations = locations;
    this.appServices = appServices;
  }

  /** The app live at {@code location}: its name, live instance and services bound on this node. */
  public BackupService.Target at(String location) throws Exception {
    StateStore.LocationRecord r = locations.record(location);
    if (r.active() == null) {
      throw new ConflictException("nothing is live at " + r.location());
    }
    AppConfig config =
        AppConfig.load(layout.instanceDir(r.app(), r.active()), false).withAppName(r.app());
    return new BackupService.Target(
        r.location(), r.app(), r.active(), config.settings(), () -> appServices.bind(config));
  }

  /** Every app live on this node, once each, for scheduled backups. */
  public List<BackupService.Target> all() throws Exception {
    Map<String, BackupService.Target> byApp = new LinkedHashMap<>();
    for (StateStore.LocationRecord l : state.locations()) {
      if (l.active() != null && !byApp.containsKey(l.app())) {
        byApp.put(l.app(), at(l.location()));
      }
    }
    return List.copyOf(byApp.values());
  }

  /** The services of an app that were emptied, by alias. */
  public record Cleared(String app, List<String> cleared) {}

  /**
   * Empties the services of the app live at {@code location} (its databases, files...), keeping
   * them provisioned. The app keeps running.
   */
  public Cleared clear(String location) throws Exception {
    StateStore.LocationRecord r = locations.record(location);
    if (r.active() == null) {
      throw new ConflictException("nothing is live at " + r.location());
    }
    AppConfig config =
        AppConfig.load(layout.instanceDir(r.app(), r.active()), false).withAppName(r.app());
    List<String> cleared = new ArrayList<>();
    for (Services.Bound b : appServices.bind(config)) {
      b.service().clear(b.scope());
      cleared.add(b.scope().alias());
    }
    log.info("cleared the services of {}: {}", r.app(), cleared);
    return new Cleared(r.app(), cleared);
  }

  /** An instance whose files no location uses: neither live nor previous anywhere, not running. */
  public record UnusedInstance(String app, String instance, String created) {}

  /** A service (a database, a folder) of an app that no location serves any more. */
  public record UnusedService(String app, String alias, String service) {}

  /** What {@code clean-node} would remove now. */
  public record Unused(List<UnusedInstance> instances, List<UnusedService> services) {}

  /**
   * The instances no location names (as live or previous) and that run no process, and the services
   * of apps no location serves; an app with a deployment in progress is left out entirely.
   */
  public Unused unused() throws Exception {
    Set<String> named = new HashSet<>();
    Set<String> served = new HashSet<>();
    for (StateStore.LocationRecord l : state.locations()) {
      named.add(l.active());
      named.add(l.previous());
      served.add(l.app());
    }
    Set<String> running = new HashSet<>();
    for (StateStore.ProcessRecord p : state.processes()) {
      running.add(p.instance());
    }
    Set<String> deploying = new HashSet<>();
    for (StateStore.DeploymentRecord d : state.deploymentsWithStatus("running")) {
      deploying.add(d.app());
    }
    List<UnusedInstance> instances = new ArrayList<>();
    List<UnusedService> services = new ArrayList<>();
    for (String app : state.apps()) {
      if (deploying.contains(app)) {
        continue;
      }
      for (StateStore.InstanceRecord r : state.instancesOf(app)) {
        if (r.status().equals("ready")
            && !named.contains(r.name())
            && !running.contains(r.name())
            && Files.isDirectory(layout.instanceDir(app, r.name()))) {
          instances.add(new UnusedInstance(app, r.name(), r.created()));
        }
      }
      if (!served.contains(app)) {
        for (Services.Bound b : servicesOf(app)) {
          services.add(new UnusedService(app, b.scope().alias(), b.service().name()));
        }
      }
    }
    return new Unused(instances, services);
  }

  /**
   * Removes what {@link #unused()} finds now: first the services of apps no location serves
   * (dropped: their data is gone), then the files of unused instances (their records stay, marked
   * removed, as an update's prune does).
   */
  public Unused clean() throws Exception {
    Unused unused = unused();
    Set<String> apps = new LinkedHashSet<>();
    unused.services().forEach(s -> apps.add(s.app()));
    for (String app : apps) {
      for (Services.Bound b : servicesOf(app)) {
        b.service().drop(b.scope());
        log.info(
            "clean: dropped the {} service {} of {}", b.service().name(), b.scope().alias(), app);
      }
    }
    for (UnusedInstance i : unused.instances()) {
      Trees.delete(layout.instanceDir(i.app(), i.instance()));
      StateStore.InstanceRecord r = state.instance(i.instance()).orElseThrow();
      state.setInstanceStatus(r.name(), "removed", r.detail());
      log.info("clean: removed the instance {} of {}", i.instance(), i.app());
    }
    return unused;
  }

  /** The services of {@code app} as its newest instance on disk declares them; none without one. */
  private List<Services.Bound> servicesOf(String app) throws Exception {
    for (StateStore.InstanceRecord r : state.instancesOf(app)) { // newest first
      Path dir = layout.instanceDir(app, r.name());
      if (r.status().equals("ready") && Files.isDirectory(dir)) {
        return appServices.bind(AppConfig.load(dir, false).withAppName(app));
      }
    }
    return List.of();
  }
}

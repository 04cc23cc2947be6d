package org.silverlining.node.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.silverlining.core.AppConfig;
import org.silverlining.node.backup.BackupService;
import org.silverlining.node.errors.ConflictException;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.service.AppServices;
import org.silverlining.node.service.Services;
import org.silverlining.node.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The apps live on this node with the services bound to them: for backups and for clearing. */
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
}

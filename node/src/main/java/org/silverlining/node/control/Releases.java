package org.silverlining.node.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import org.silverlining.core.InstanceName;
import org.silverlining.node.config.ConfigRejectedException;
import org.silverlining.node.config.ConfigRevisions;
import org.silverlining.node.config.ConfigStores;
import org.silverlining.node.config.OwnConfiguration;
import org.silverlining.node.deploy.Activation;
import org.silverlining.node.deploy.RegistryView;
import org.silverlining.node.deploy.Rollback;
import org.silverlining.node.errors.ConflictException;
import org.silverlining.node.errors.NotFoundException;
import org.silverlining.node.instance.InstanceManager;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.logs.StreamLogs;
import org.silverlining.node.service.AppServices;
import org.silverlining.node.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which instance serves each location, as the management API sees and changes it: the registry of
 * deployments, rollback, activate and deactivate, and disabling an app.
 */
public final class Releases {
  private static final Logger log = LoggerFactory.getLogger(Releases.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final NodeLayout layout;
  private final StateStore state;
  private final Locations locations;
  private final InstanceManager instances;
  private final AppServices appServices;
  private final ConfigStores configs;
  private final Runnable publishRoutes;
  private final ExecutorService workers;

  private final StreamLogs streamLogs;

  public Releases(
      NodeLayout layout,
      StateStore state,
      Locations locations,
      InstanceManager instances,
      AppServices appServices,
      ConfigStores configs,
      Runnable publishRoutes,
      ExecutorService workers,
      StreamLogs streamLogs) {
    this.streamLogs = streamLogs;
    this.layout = layout;
    this.state = state;
    this.locations = locations;
    this.instances = instances;
    this.appServices = appServices;
    this.configs = configs;
    this.publishRoutes = publishRoutes;
    this.workers = workers;
  }

  /** The deployments recorded at {@code location}, newest first (the registry). */
  public RegistryView.Registry deployments(String location, int limit) throws Exception {
    String key = Locations.key(location);
    List<StateStore.DeploymentRecord> records = state.deploymentsAt(key, limit);
    if (records.isEmpty()) {
      throw new NotFoundException("nothing was ever deployed at " + key + " on this node");
    }
    StateStore.LocationRecord live = state.location(key).orElse(null);
    return RegistryView.of(
        key, live == null ? null : live.active(), records, state.switchesAt(key, limit));
  }

  /**
   * Makes {@code to} (null: the previous instance) live at {@code location} again; with {@code
   * restoreData}, also restores the checkpoint taken when the replaced instance was deployed; with
   * {@code withConfig}, returns to the configuration revision {@code to} was deployed with.
   */
  public Rollback.Result rollback(
      String location, String to, boolean restoreData, boolean withConfig, String who)
      throws Exception {
    StateStore.LocationRecord r = locations.record(location);
    try {
      Rollback.Result done =
          new Rollback(
                  layout,
                  state,
                  instances,
                  appServices,
                  publishRoutes,
                  workers,
                  configs,
                  streamLogs)
              .run(r, to, restoreData, withConfig, who);
      state.addSwitch(r.location(), "rollback", done.active(), done.replaced(), who);
      return done;
    } catch (Rollback.RefusedException e) {
      throw e.status() == 404
          ? new NotFoundException(e.getMessage())
          : new ConflictException(e.getMessage());
    }
  }

  /** The file manifest of an instance: one entry per file, with its path, size and sha256. */
  public record Manifest(String location, String instance, List<Object> files) {}

  /**
   * The file manifest of {@code instance} (null: the live one) at {@code location}: path, size and
   * sha256 of every file it was deployed with.
   */
  public Manifest manifest(String location, String instance) throws Exception {
    StateStore.LocationRecord r = locations.record(location);
    String name = instance == null ? r.active() : instance;
    if (name == null) {
      throw new ConflictException("nothing is live at " + r.location());
    }
    if (!InstanceName.isInstanceName(name) || !InstanceName.parse(name).app().equals(r.app())) {
      throw new NotFoundException(name + " is not an instance of " + r.app());
    }
    Path file = layout.instanceManifest(r.app(), name);
    if (!Files.isRegularFile(file)) {
      throw new NotFoundException(
          "no file manifest of " + name + " (deployed before manifests were kept?)");
    }
    List<Object> files = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank()) {
        files.add(JSON.readValue(line, Map.class));
      }
    }
    return new Manifest(r.location(), name, files);
  }

  /** Makes {@code instance} (or {@code PREV}, the one before) live at {@code location} again. */
  public Activated activate(String location, String instance) throws Exception {
    return activate(location, instance, false, "admin");
  }

  /**
   * Makes {@code instance} (or {@code PREV}) live at {@code location} again. The configuration does
   * not change unless {@code withConfig}: then the files of the revision the instance was deployed
   * with become the newest revision first ({@link OwnConfiguration}), undone if the instance does
   * not start. The answer says which revision is live and which one the instance was deployed with.
   */
  public Activated activate(String location, String instance, boolean withConfig, String who)
      throws Exception {
    StateStore.LocationRecord r = locations.record(location);
    String target = instance.equalsIgnoreCase("prev") ? r.previous() : instance;
    if (target == null) {
      throw new ConflictException("there is no previous instance at " + r.location());
    }
    if (!InstanceName.isInstanceName(target)
        || !InstanceName.parse(target).app().equals(r.app())
        || !Files.isDirectory(layout.instanceDir(r.app(), target))) {
      throw new NotFoundException(
          "no instance " + target + " of " + r.app() + " on this node; see silver query");
    }
    ConfigRevisions revisions = configs.of(r.app());
    OptionalInt recorded = state.configRevision(target);
    OwnConfiguration.Result config = OwnConfiguration.plan(revisions, recorded.orElse(-1));
    if (withConfig && recorded.isEmpty()) {
      throw new ConflictException(
          target
              + " has no recorded configuration revision (it was deployed before revisions were"
              + " kept); activate it without --with-config");
    }
    if (target.equals(r.active())) {
      if (withConfig && !config.ownFiles()) {
        throw new ConflictException(
            target
                + " is already live; to return its configuration, run silver config "
                + r.location()
                + (config.own() == 0 ? " --delete" : " --revert " + config.own()));
      }
      return activated(r.location(), target, false, config);
    }
    try {
      config =
          new Activation(layout, state, instances, publishRoutes, streamLogs)
              .run("activate", r, target, revisions, config, withConfig, who)
              .config();
    } catch (ConfigRejectedException e) {
      throw new ConflictException(
          e.getMessage()
              + "; nothing changed"
              + (r.active() == null ? "" : ", " + r.active() + " is still live"));
    }
    if (r.active() != null) {
      String old = r.active();
      workers.execute(() -> instances.stop(old, Duration.ofMillis(250), Duration.ofSeconds(30)));
    }
    state.addSwitch(r.location(), "activate", target, r.active(), who);
    log.info(
        "{} now serves {} with configuration revision {}", target, r.location(), config.after());
    return activated(r.location(), target, true, config);
  }

  /**
   * What an activation did: the instance live now, whether it changed, the configuration revision
   * live, the one the instance was deployed with (null: not recorded), whether a revision was
   * recorded, and whether the live files are the instance's own.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Activated(
      String location,
      String active,
      boolean changed,
      int configRevision,
      Integer ownConfigRevision,
      boolean configRecorded,
      boolean configIsOwn) {}

  private static Activated activated(
      String location, String target, boolean changed, OwnConfiguration.Result config) {
    return new Activated(
        location,
        target,
        changed,
        config.after(),
        config.own() < 0 ? null : config.own(),
        config.recorded(),
        config.ownFiles());
  }

  /** A location no longer served. */
  public record Deactivated(String location, boolean removed) {}

  /** Stops serving {@code location}; its registry stays, so a later update there shows it. */
  public Deactivated deactivate(String location, String who) throws Exception {
    StateStore.LocationRecord r = locations.record(location);
    state.removeLocation(r.location());
    state.addSwitch(r.location(), "deactivate", null, r.active(), who);
    publishRoutes.run();
    if (r.active() != null) {
      instances.stop(r.active(), Duration.ofMillis(250), Duration.ofSeconds(30));
    }
    log.info("{} no longer serves {}", r.app(), r.location());
    return new Deactivated(r.location(), true);
  }

  /** An app disabled or enabled again. */
  public record Disabled(String app, boolean disabled) {}

  public Disabled setDisabled(String app, boolean disabled) throws Exception {
    if (!state.apps().contains(app)) {
      throw new NotFoundException("no app named " + app + " on this node");
    }
    state.setDisabled(app, disabled);
    publishRoutes.run();
    log.info("{} {}", app, disabled ? "disabled" : "enabled");
    return new Disabled(app, disabled);
  }
}

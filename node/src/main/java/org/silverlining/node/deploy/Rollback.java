package org.silverlining.node.deploy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Executor;
import org.silverlining.core.AppConfig;
import org.silverlining.core.InstanceName;
import org.silverlining.node.backup.Checkpoints;
import org.silverlining.node.config.ConfigRejectedException;
import org.silverlining.node.config.ConfigRevisions;
import org.silverlining.node.config.ConfigStores;
import org.silverlining.node.config.OwnConfiguration;
import org.silverlining.node.instance.InstanceManager;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.logs.StreamLogs;
import org.silverlining.node.service.AppServices;
import org.silverlining.node.service.Services;
import org.silverlining.node.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code silver rollback}: makes an instance still on disk (the previous one by default) live at a
 * location again — started if its processes were stopped, then one committed state change and one
 * routing swap, like a deployment's switch — and drains the one it replaces. With {@code
 * restoreData}, the checkpoint taken when the replaced instance was deployed is restored once that
 * instance has stopped, so the data is what the rolled-back-to version had. The configuration stays
 * the newest revision unless asked to return to the instance's own, as {@code silver activate}.
 */
public final class Rollback {
  private static final Logger log = LoggerFactory.getLogger(Rollback.class);

  private final NodeLayout layout;
  private final StateStore state;
  private final InstanceManager instances;
  private final AppServices services;
  private final Runnable publishRoutes;
  private final Executor background;
  private final Checkpoints checkpoints;
  private final ConfigStores configs;

  /** A rollback that cannot be done; {@code status} is the management API's answer. */
  public static final class RefusedException extends Exception {
    private final int status;

    RefusedException(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final StreamLogs streamLogs;

  public Rollback(
      NodeLayout layout,
      StateStore state,
      InstanceManager instances,
      AppServices services,
      Runnable publishRoutes,
      Executor background,
      ConfigStores configs,
      StreamLogs streamLogs) {
    this.streamLogs = streamLogs;
    this.layout = layout;
    this.state = state;
    this.instances = instances;
    this.services = services;
    this.publishRoutes = publishRoutes;
    this.background = background;
    this.checkpoints = new Checkpoints(layout);
    this.configs = configs;
  }

  /**
   * Rolls {@code r}'s location back to {@code to} (null: the previous instance). With {@code
   * withConfig}, the configuration revision {@code to} was deployed with becomes the newest again
   * first ({@link OwnConfiguration}), undone if {@code to} does not start.
   */
  /**
   * What a rollback did: the instance live now and the one it replaced, how long it took to be
   * live, the configuration revision; {@code config_recorded} only with {@code withConfig}, and the
   * checkpoint restored and how long that took only with {@code restoreData}.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Result(
      String location,
      String active,
      String replaced,
      boolean wasRunning,
      long liveMs,
      int configRevision,
      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean configRecorded,
      @JsonInclude(JsonInclude.Include.NON_NULL) String restored,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long restoreMs) {}

  public Result run(
      StateStore.LocationRecord r, String to, boolean restoreData, boolean withConfig, String who)
      throws Exception {
    String current = r.active();
    String target = to == null || to.isBlank() || to.equalsIgnoreCase("prev") ? r.previous() : to;
    if (target == null) {
      throw new RefusedException(
          409,
          "there is no previous instance at "
              + r.location()
              + "; see silver versions "
              + r.location()
              + " and pass --to INSTANCE");
    }
    if (!InstanceName.isInstanceName(target)
        || !InstanceName.parse(target).app().equals(r.app())
        || !Files.isDirectory(layout.instanceDir(r.app(), target))) {
      throw new RefusedException(
          404,
          "no instance "
              + target
              + " of "
              + r.app()
              + " is on this node (only the newest 5 are kept); see silver versions "
              + r.location());
    }
    if (target.equals(current)) {
      throw new RefusedException(409, target + " is already live at " + r.location());
    }
    Checkpoints.Checkpoint checkpoint = null;
    List<Services.Bound> bound = List.of();
    if (restoreData) {
      String id =
          current == null
              ? null
              : state
                  .deploymentOf(current)
                  .map(StateStore.DeploymentRecord::checkpoint)
                  .orElse(null);
      checkpoint = id == null ? null : checkpoints.find(r.app(), id).orElse(null);
      if (checkpoint == null) {
        throw new RefusedException(
            409,
            "no checkpoint of the data is kept from when "
                + current
                + " was deployed (the app had no services, or it was pruned); roll back without"
                + " --restore-data");
      }
      bound =
          services.bind(
              AppConfig.load(layout.instanceDir(r.app(), current), false).withAppName(r.app()));
    }
    ConfigRevisions revisions = configs.of(r.app());
    Activation.Done done;
    try {
      OwnConfiguration.Result planned = null;
      if (withConfig) {
        java.util.OptionalInt own = state.configRevision(target);
        if (own.isEmpty()) {
          throw new RefusedException(
              409,
              target + " has no recorded configuration revision; roll back without --with-config");
        }
        planned = OwnConfiguration.plan(revisions, own.getAsInt());
      }
      done =
          new Activation(layout, state, instances, publishRoutes, streamLogs)
              .run("rollback", r, target, revisions, planned, withConfig, who);
    } catch (ConfigRejectedException e) {
      throw new RefusedException(409, e.getMessage() + "; nothing changed");
    }
    OwnConfiguration.Result config = withConfig ? done.config() : null;
    boolean wasRunning = done.wasRunning();
    long liveMillis = done.liveMillis();
    log.info("rollback: {} serves {} again ({} ms)", target, r.location(), liveMillis);
    int configRevision =
        config != null ? config.after() : revisions.current().map(v -> v.number()).orElse(0);
    Boolean configRecorded = config != null ? config.recorded() : null;
    String restored = null;
    Long restoreMs = null;
    if (current != null) {
      Runnable stop =
          () ->
              instances.stop(
                  current, StopPreviousStep.GRACE, StopPreviousStep.DRAIN); // drains first
      if (checkpoint == null) {
        background.execute(stop);
      } else {
        stop.run();
        long r0 = System.nanoTime();
        checkpoints.restore(checkpoint, bound);
        restored = checkpoint.id();
        restoreMs = (System.nanoTime() - r0) / 1_000_000;
        log.info("rollback: data of {} restored from checkpoint {}", r.app(), checkpoint.id());
      }
    }
    return new Result(
        r.location(),
        target,
        current,
        wasRunning,
        liveMillis,
        configRevision,
        configRecorded,
        restored,
        restoreMs);
  }
}

package org.silverlining.node.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.silverlining.core.AppConfig;
import org.silverlining.node.config.ConfigRevisions;
import org.silverlining.node.config.OwnConfiguration;
import org.silverlining.node.instance.InstanceManager;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.logs.StreamLogs;
import org.silverlining.node.state.StateStore;
import org.silverlining.node.steps.Progress;
import org.silverlining.node.steps.Step;
import org.silverlining.node.steps.StepFailedException;
import org.silverlining.node.steps.StepLog;
import org.silverlining.node.steps.StepsRunner;

/**
 * Makes an instance still on disk live at a location again, for {@code silver activate} and {@code
 * silver rollback}, as steps on {@link StepsRunner}: config (only when asked: the revision the
 * instance was deployed with becomes the newest, {@link OwnConfiguration}), start (its processes,
 * if stopped), switch (one committed state change, one routing swap). A failing step undoes the
 * ones before, last first, and fails with its own failure. What follows the switch (draining the
 * replaced instance, restoring data) is the caller's.
 */
public final class Activation {
  private final NodeLayout layout;
  private final StateStore state;
  private final InstanceManager instances;
  private final Runnable publishRoutes;

  /** What one activation knows as its steps run. */
  static final class Job {
    final StateStore.LocationRecord before;
    final String target;
    final ConfigRevisions revisions;
    final String who;

    /** Where the configuration stands; replaced by the config step's outcome. */
    OwnConfiguration.Result config;

    boolean wasRunning;

    /** When the start step began ({@link System#nanoTime}): the time to go live counts from it. */
    long startedAt;

    Job(
        StateStore.LocationRecord before,
        String target,
        ConfigRevisions revisions,
        OwnConfiguration.Result config,
        String who) {
      this.before = before;
      this.target = target;
      this.revisions = revisions;
      this.config = config;
      this.who = who;
    }
  }

  /**
   * What an activation did: the configuration ({@code after} the revision live now), whether the
   * instance was running already, and how long it took to go live.
   */
  public record Done(OwnConfiguration.Result config, boolean wasRunning, long liveMillis) {}

  private final StreamLogs streamLogs;

  public Activation(
      NodeLayout layout,
      StateStore state,
      InstanceManager instances,
      Runnable publishRoutes,
      StreamLogs streamLogs) {
    this.streamLogs = streamLogs;
    this.layout = layout;
    this.state = state;
    this.instances = instances;
    this.publishRoutes = publishRoutes;
  }

  /**
   * Makes {@code target} live at {@code r}'s location; with {@code withConfig}, returns to revision
   * {@code config.own()} first ({@code config}: where the configuration stands, as {@link
   * OwnConfiguration#plan} says). {@code operation} ("activate", "rollback") names it in the log.
   * Fails with the failing step's own failure, such as a {@link
   * org.silverlining.node.config.ConfigRejectedException}, once the steps before are undone.
   */
  public Done run(
      String operation,
      StateStore.LocationRecord r,
      String target,
      ConfigRevisions revisions,
      OwnConfiguration.Result config,
      boolean withConfig,
      String who)
      throws Exception {
    Job job = new Job(r, target, revisions, config, who);
    List<Step<Job>> steps = new ArrayList<>();
    if (withConfig) {
      Path dir = layout.instanceDir(r.app(), target);
      steps.add(new ReturnConfigStep(() -> AppConfig.load(dir, false).withAppName(r.app()), dir));
    }
    steps.add(new StartTargetStep(instances));
    steps.add(new SwitchTargetStep(state, publishRoutes));
    try {
      Consumer<String> journal = streamLogs.to(r.app(), StreamLogs.UPDATE);
      journal.accept(operation + " of " + r.location() + " to " + target);
      StepsRunner.run(
          operation,
          steps,
          job,
          Progress.journaled(operation, Progress.NONE, journal),
          new StepLog(operation + " of " + r.location() + " to " + target),
          journal);
    } catch (StepFailedException e) {
      throw e.failure();
    }
    return new Done(job.config, job.wasRunning, (System.nanoTime() - job.startedAt) / 1_000_000);
  }
}

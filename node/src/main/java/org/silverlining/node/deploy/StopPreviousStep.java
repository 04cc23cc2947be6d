package org.silverlining.node.deploy;

import java.time.Duration;
import org.silverlining.node.instance.InstanceManager;

/** Lets the instance that was live finish its requests, then stops it. Its files stay on disk. */
final class StopPreviousStep implements DeployStep {
  /** Time for requests routed just before the switch to reach the old instance. */
  static final Duration GRACE = Duration.ofMillis(250);

  static final Duration DRAIN = Duration.ofSeconds(30);
  private final InstanceManager instances;

  StopPreviousStep(InstanceManager instances) {
    this.instances = instances;
  }

  @Override
  public String name() {
    return "drain";
  }

  @Override
  public String run(Deployment d) {
    if (d.before == null || d.before.active() == null || d.before.active().equals(d.instance)) {
      return "nothing to stop";
    }
    instances.stop(d.before.active(), GRACE, DRAIN);
    if (d.before.previous() != null) {
      instances.stop(d.before.previous(), Duration.ZERO, DRAIN); // started for prev.HOST
    }
    return d.before.active() + " stopped";
  }
}

package org.silverlining.node.deploy;

import org.silverlining.node.instance.InstanceManager;
import org.silverlining.node.steps.Step;

/**
 * Starts the processes of the instance to make live, unless they run; the undo stops them again
 * when this step started them.
 */
final class StartTargetStep implements Step<Activation.Job> {
  private final InstanceManager instances;

  StartTargetStep(InstanceManager instances) {
    this.instances = instances;
  }

  @Override
  public String name() {
    return "start";
  }

  @Override
  public String run(Activation.Job job) throws Exception {
    job.startedAt = System.nanoTime();
    job.wasRunning = instances.isRunning(job.target);
    instances.start(job.target);
    return job.wasRunning ? "was running" : "started";
  }

  @Override
  public void undo(Activation.Job job) {
    if (!job.wasRunning) {
      instances.stop(job.target, StopPreviousStep.GRACE, StopPreviousStep.DRAIN);
    }
  }
}

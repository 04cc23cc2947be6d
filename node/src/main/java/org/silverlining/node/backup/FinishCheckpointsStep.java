package org.silverlining.node.backup;

import org.silverlining.node.steps.Step;

/**
 * Writes the checkpoints of earlier restores that a node stop or a failure left unfinished, before
 * this restore could replace the data they hold; fails, before anything changed, when one cannot
 * be.
 */
final class FinishCheckpointsStep implements Step<RestoreJob> {
  private final RestoreCheckpoints ends;

  FinishCheckpointsStep(RestoreCheckpoints ends) {
    this.ends = ends;
  }

  @Override
  public String name() {
    return "finish-checkpoints";
  }

  @Override
  public boolean shown() {
    return false;
  }

  @Override
  public String run(RestoreJob job) throws Exception {
    ends.finishUnfinished(job.app, job.services);
    return "";
  }
}

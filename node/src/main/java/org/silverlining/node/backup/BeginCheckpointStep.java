package org.silverlining.node.backup;

import org.silverlining.node.steps.Step;

/**
 * Begins the restore's checkpoint: the parts of the services that do not keep what their switch
 * replaces are written while the backup arrives and loads ({@link EarlyCheckpoint}).
 */
final class BeginCheckpointStep implements Step<RestoreJob> {
  private final RestoreCheckpoints ends;

  BeginCheckpointStep(RestoreCheckpoints ends) {
    this.ends = ends;
  }

  @Override
  public String name() {
    return "begin-checkpoint";
  }

  @Override
  public boolean shown() {
    return false;
  }

  @Override
  public String run(RestoreJob job) throws Exception {
    job.early = new EarlyCheckpoint(ends, job.app, job.services, "before " + job.what, job.facts);
    return job.early.id();
  }

  @Override
  public void undo(RestoreJob job) {
    job.early.discardUnclaimed();
  }
}

package org.silverlining.node.backup;

import org.silverlining.node.backupformat.Arrivals;
import org.silverlining.node.steps.Step;

/**
 * Starts staging the services' restores beside the app's data, each file as it arrives ({@link
 * StagedLoad}); the load step takes what it staged.
 */
final class StartLoadStep implements Step<RestoreJob> {
  @Override
  public String name() {
    return "start-load";
  }

  @Override
  public boolean shown() {
    return false;
  }

  @Override
  public String run(RestoreJob job) throws Exception {
    job.arrivals = job.archive == null ? Arrivals.of(job.dir) : Arrivals.expected();
    job.loading = new StagedLoad(job.app, job.services, job.dir, job.arrivals);
    return "";
  }

  @Override
  public void undo(RestoreJob job) {
    job.loading.discard();
  }
}

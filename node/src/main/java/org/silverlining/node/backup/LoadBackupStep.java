package org.silverlining.node.backup;

import org.silverlining.node.service.Service.Staged;
import org.silverlining.node.steps.Step;

/**
 * Waits until every service has staged its restore beside the app's data; the undo discards what
 * the switch did not put in place.
 */
final class LoadBackupStep implements Step<RestoreJob> {
  @Override
  public String name() {
    return "load";
  }

  @Override
  public String run(RestoreJob job) throws Exception {
    job.staged = job.loading.get();
    return String.join(", ", job.manifest.services().keySet());
  }

  @Override
  public void undo(RestoreJob job) {
    job.staged.subList(job.settled, job.staged.size()).forEach(Staged::discard);
    job.settled = job.staged.size();
  }
}

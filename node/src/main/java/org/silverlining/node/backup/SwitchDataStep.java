package org.silverlining.node.backup;

import org.silverlining.node.service.Service.Staged;
import org.silverlining.node.service.ServiceException;
import org.silverlining.node.steps.Step;

/**
 * Puts each service's staged restore in place of the app's data. When one fails, the rest are
 * discarded and the failure is the restore's; the checkpoint's undo puts the data before back.
 */
final class SwitchDataStep implements Step<RestoreJob> {
  @Override
  public String name() {
    return "switch";
  }

  @Override
  public String run(RestoreJob job) throws Exception {
    for (int i = job.settled; i < job.staged.size(); i++) {
      try {
        job.staged.get(i).commit();
        job.settled = i + 1;
      } catch (ServiceException | RuntimeException e) {
        job.staged.subList(i, job.staged.size()).forEach(Staged::discard);
        job.settled = job.staged.size();
        job.switchFailure = Backup.failed(job.services.get(i), e);
        throw job.switchFailure;
      }
    }
    return "the restored data is in place";
  }
}

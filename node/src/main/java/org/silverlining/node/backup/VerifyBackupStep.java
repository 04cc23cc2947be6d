package org.silverlining.node.backup;

import java.util.List;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.steps.Step;

/**
 * Checks every checksum of the backup (or takes what the receive found) and that it holds exactly
 * the app's services; fails listing every problem.
 */
final class VerifyBackupStep implements Step<RestoreJob> {
  @Override
  public String name() {
    return "verify";
  }

  @Override
  public String run(RestoreJob job) throws Exception {
    List<String> problems = job.problems != null ? job.problems : Backup.verify(job.dir);
    if (!problems.isEmpty()) {
      throw new BackupException(
          "the backup is damaged; nothing was restored:\n  " + String.join("\n  ", problems));
    }
    Manifest m = Manifest.read(job.dir);
    List<String> diff = Backup.serviceDifferences(m, job.services);
    if (!diff.isEmpty()) {
      throw new BackupException(
          "the backup's services differ from the app's; nothing was restored:\n  "
              + String.join("\n  ", diff));
    }
    job.manifest = m;
    return m.files().size() + " checksums match";
  }
}

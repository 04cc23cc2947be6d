package org.silverlining.node.backup;

import java.io.IOException;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.steps.Step;

/**
 * Receives the archive into the restore's folder, hashing each file as it arrives, and tells the
 * load about each; fails saying what is wrong with the archive, or with this machine's disk.
 */
final class ReceiveBackupStep implements Step<RestoreJob> {
  private final NodeLayout layout;

  ReceiveBackupStep(NodeLayout layout) {
    this.layout = layout;
  }

  @Override
  public String name() {
    return "receive";
  }

  @Override
  public String run(RestoreJob job) throws Exception {
    BackupArchive.Contents contents;
    try {
      contents = BackupArchive.read(job.archive, job.dir, job.source, job.arrivals);
      job.arrivals.finished();
    } catch (BackupArchive.WriteFailed e) {
      job.arrivals.failed(e);
      throw new BackupException(
          "cannot store "
              + job.source
              + " on this machine ("
              + e.getMessage()
              + "); nothing was restored. Free disk space or repair "
              + layout.uploadsDir(),
          e);
    } catch (BackupException e) { // not a backup archive, or an entry that must not be there
      job.arrivals.failed(new IOException(e.getMessage(), e));
      throw new BackupException(e.getMessage() + "; nothing was restored", e);
    } catch (IOException e) {
      job.arrivals.failed(e);
      throw new BackupException(
          job.source
              + " is damaged or truncated ("
              + BackupArchive.reason(e)
              + "); nothing was restored",
          e);
    }
    if (contents.manifest() == null) {
      throw new BackupException(
          job.source
              + " is not a backup: it has no "
              + Manifest.FILE
              + " (make one with silver backup); nothing was restored");
    }
    // The files were hashed as they arrived: the verify needs no second pass over them.
    job.problems = Backup.verify(contents, job.source);
    return contents.sums().size() + " files";
  }
}

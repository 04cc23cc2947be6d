package org.silverlining.node.deploy;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.Map;
import java.util.TreeMap;
import org.silverlining.node.backup.Checkpoints;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.service.ServiceMode;
import org.silverlining.node.service.Services;

/**
 * Takes a checkpoint of the app's services after they are provisioned and before the new instance
 * starts, so that nothing the new version does to the data (at start, in {@code update_fetch}, in
 * {@code migrate_fetch}, in a test) outlives a failed deployment: undo restores it. A checkpoint
 * that cannot be taken fails the deployment before anything changed.
 */
final class CheckpointStep implements DeployStep {
  private final Checkpoints checkpoints;
  private final NodeLayout layout;

  CheckpointStep(Checkpoints checkpoints, NodeLayout layout) {
    this.checkpoints = checkpoints;
    this.layout = layout;
  }

  @Override
  public String name() {
    return "checkpoint";
  }

  @Override
  public String run(Deployment d) throws Exception {
    if (d.services.isEmpty()) {
      return "no services, nothing to keep";
    }
    if (d.services.stream().allMatch(b -> b.scope().mode() == ServiceMode.DEVEL)) {
      // silver serve deploys on every save: a backup of scratch data each time is not worth it.
      return "skipped in development (silver serve)";
    }
    Map<String, String> facts = new TreeMap<>();
    facts.put("instance", d.instance);
    if (d.before != null && d.before.active() != null) {
      facts.put("previous", d.before.active());
    }
    try {
      d.checkpoint =
          checkpoints.take(d.app, d.services, PruneInstancesStep.UPDATE_REASON + d.instance, facts);
    } catch (IOException | BackupException e) {
      throw new IOException(
          "cannot write a checkpoint of the app's data ("
              + describe(e)
              + "); nothing was changed. "
              + (isDiskProblem(e)
                  ? "Free disk space or repair " + layout.appCheckpoints(d.app)
                  : "Fix that")
              + ", then update again",
          e);
    }
    return d.checkpoint.id()
        + " ("
        + String.join(
            ", ", d.services.stream().map(Services.Bound::scope).map(s -> s.alias()).toList())
        + ")";
  }

  /**
   * Whether the checkpoint failed on this node's disk (full, or a folder in the way) rather than in
   * a service (a database refusing its dump), whose message says what to do.
   */
  static boolean isDiskProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FileSystemException
          || (t.getMessage() != null && t.getMessage().contains("No space left on device"))) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Exception e) {
    if (e instanceof FileSystemException f) {
      return f.getFile()
          + ": "
          + (f.getReason() != null ? f.getReason() : f.getClass().getSimpleName());
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  @Override
  public void undo(Deployment d) throws Exception {
    if (d.checkpoint != null) {
      long t0 = System.nanoTime();
      checkpoints.restore(d.checkpoint, d.services);
      d.progress.note(
          "the app's data was restored from checkpoint "
              + d.checkpoint.id()
              + " in "
              + (System.nanoTime() - t0) / 1_000_000
              + " ms");
    }
  }
}

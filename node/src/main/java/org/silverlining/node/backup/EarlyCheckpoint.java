package org.silverlining.node.backup;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import org.silverlining.node.backupformat.BackgroundWork;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.service.Services;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A restore's checkpoint, begun at the start: the services that do not keep the data their switch
 * replaces are backed up on a thread of its own, while the restore receives and loads. They only
 * read the current data, so the checkpoint is deleted again when the restore stops before the
 * switch.
 */
final class EarlyCheckpoint {
  private static final Logger log = LoggerFactory.getLogger(EarlyCheckpoint.class);

  private final String app;
  private final RestoreCheckpoints ends;
  private final Checkpoints.Pending checkpoint;
  private final FutureTask<Void> task;
  private volatile boolean claimed;

  EarlyCheckpoint(
      RestoreCheckpoints ends,
      String app,
      List<Services.Bound> services,
      String reason,
      Map<String, String> facts)
      throws BackupException {
    this.app = app;
    this.ends = ends;
    try {
      checkpoint = ends.checkpoints().begin(app, reason, facts);
    } catch (IOException e) {
      throw ends.checkpointFailed(app, e);
    }
    List<Services.Bound> now = services.stream().filter(b -> !b.service().keepsReplaced()).toList();
    task =
        new FutureTask<>(
            () -> {
              for (Services.Bound b : now) {
                checkpoint.write(b);
              }
              return null;
            });
    if (now.isEmpty()) {
      task.run();
    } else {
      Thread t = new Thread(task, "checkpoint-" + app);
      t.setDaemon(true);
      t.start();
    }
  }

  /** The checkpoint's id. */
  String id() {
    return checkpoint.id();
  }

  /** The checkpoint, once its early parts are written; the restore now owns it. */
  Checkpoints.Pending claim() throws BackupException {
    claimed = true;
    try {
      BackgroundWork.await(task, "the checkpoint");
    } catch (IOException | BackupException | RuntimeException e) {
      checkpoint.abandon();
      throw ends.checkpointFailed(app, e);
    }
    return checkpoint;
  }

  /** Deletes the checkpoint when the restore stopped before it needed it. */
  void discardUnclaimed() {
    if (claimed) {
      return;
    }
    try {
      BackgroundWork.await(task, "the checkpoint");
    } catch (IOException | BackupException | RuntimeException e) {
      log.debug("a checkpoint for a restore that did not happen: {}", e.getMessage());
    }
    checkpoint.abandon();
  }
}

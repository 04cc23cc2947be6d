package org.silverlining.node.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import org.silverlining.node.backupformat.Arrivals;
import org.silverlining.node.backupformat.BackgroundWork;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.service.Service.Staged;
import org.silverlining.node.service.ServiceException;
import org.silverlining.node.service.Services;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services' restores staged beside the app's data on a thread of their own, while the backup
 * arrives (PostgreSQL each table as its rows come); it touches nothing of the app's.
 */
final class StagedLoad {
  private static final Logger log = LoggerFactory.getLogger(StagedLoad.class);

  private final FutureTask<List<Staged>> task;
  private boolean taken;

  StagedLoad(String app, List<Services.Bound> services, Path dir, Arrivals arrivals) {
    task = new FutureTask<>(() -> stage(services, dir, arrivals));
    Thread t = new Thread(task, "restore-load-" + app);
    t.setDaemon(true);
    t.start();
  }

  /** The staged restores, once all are; the caller now owns them. */
  List<Staged> get() throws IOException, BackupException {
    taken = true;
    return BackgroundWork.await(task, "the load");
  }

  /** Discards what was staged, once the load has stopped, unless the caller took it. */
  void discard() {
    if (taken) {
      return;
    }
    taken = true;
    try {
      BackgroundWork.await(task, "the load").forEach(Staged::discard);
    } catch (IOException | BackupException | RuntimeException e) {
      log.debug("a load for a restore that did not happen: {}", e.toString());
    }
  }

  /** The services' restores of {@code dir}, staged; none when one fails, which is thrown. */
  private static List<Staged> stage(List<Services.Bound> services, Path dir, Arrivals files)
      throws BackupException {
    List<Staged> staged = new ArrayList<>();
    for (Services.Bound b : services) {
      try {
        staged.add(b.service().stage(b.scope(), dir.resolve(b.service().name()), files));
      } catch (ServiceException | RuntimeException e) {
        staged.forEach(Staged::discard);
        BackupException failed = Backup.failed(b, e);
        throw new BackupException(
            "the restore failed (" + failed.getMessage() + "); the app's data was not touched",
            failed);
      }
    }
    return staged;
  }
}

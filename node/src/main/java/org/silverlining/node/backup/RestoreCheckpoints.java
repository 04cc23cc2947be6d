package org.silverlining.node.backup;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.service.ServiceException;
import org.silverlining.node.service.Services;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints restores take, from their end: writing the parts still to come after a switch
 * (from the data the switch replaced, which is dropped only then), finishing those a stopped node
 * left unfinished, putting one back after a failed switch, and keeping the newest {@link
 * #KEEP_RESTORE_CHECKPOINTS}.
 */
final class RestoreCheckpoints {
  private static final Logger log = LoggerFactory.getLogger(RestoreCheckpoints.class);

  /** The reason every checkpoint a restore takes starts with. */
  static final String RESTORE_REASON = "before restore";

  /** How many of the checkpoints restores took are kept: the newest. */
  static final int KEEP_RESTORE_CHECKPOINTS = 5;

  private final NodeLayout layout;
  private final Checkpoints checkpoints;

  RestoreCheckpoints(NodeLayout layout, Checkpoints checkpoints) {
    this.layout = layout;
    this.checkpoints = checkpoints;
  }

  Checkpoints checkpoints() {
    return checkpoints;
  }

  /** A restore stopped, before it changed anything, by a checkpoint that could not be written. */
  BackupException checkpointFailed(String app, Exception e) {
    return new BackupException(
        "cannot write a checkpoint of the data before the restore ("
            + e.getMessage()
            + "); nothing was restored. Free disk space or repair "
            + layout.appCheckpoints(app),
        e);
  }

  /**
   * Writes the parts of {@code checkpoint} still to come, services {@code later}, from the data the
   * restore replaced (else the data as it is), lists it, and then drops the replaced data.
   */
  Checkpoints.Checkpoint finish(
      String app, Checkpoints.Pending checkpoint, List<Services.Bound> later)
      throws IOException, BackupException {
    long t0 = System.nanoTime();
    Checkpoints.Checkpoint c;
    try {
      for (Services.Bound b : later) {
        checkpoint.writeBefore(b);
      }
      c = checkpoint.finish();
    } catch (IOException | BackupException | RuntimeException e) {
      checkpoint.suspend();
      throw e;
    }
    for (Services.Bound b : later) {
      try {
        b.service().dropReplaced(b.scope());
      } catch (ServiceException e) {
        log.warn("{}: {}; the next restore drops it", app, Backup.failed(b, e).getMessage());
      }
    }
    log.info(
        "checkpoint {} of {}: {} written from the data the restore replaced in {} ms",
        c.id(),
        app,
        names(later),
        (System.nanoTime() - t0) / 1_000_000);
    prune(app);
    return c;
  }

  /**
   * Finishes, under the app's turn, which the caller holds, the checkpoints a node stopped before
   * writing or whose writing failed. Fails when one cannot be written: the data it holds is kept
   * until it is, and whatever comes next could replace it.
   */
  void finishUnfinished(String app, List<Services.Bound> services)
      throws IOException, BackupException {
    checkpoints.awaitFinishing(app); // its failure leaves it unfinished on disk, tried again here
    for (Checkpoints.Pending p : checkpoints.unfinished(app)) {
      try {
        finish(app, p, servicesNamed(p.later(), services));
      } catch (IOException | BackupException | RuntimeException e) {
        throw new BackupException(
            "checkpoint "
                + p.id()
                + " of the data before an earlier restore is not written ("
                + e.getMessage()
                + "); the data is kept until it is. Fix the cause and try again",
            e);
      }
    }
  }

  /**
   * Writes the rest of checkpoint {@code pending} and puts it back after a failed switch; returns
   * the failure of the restore, {@code cause}, saying how that went.
   */
  BackupException putBack(
      String app,
      List<Services.Bound> services,
      Checkpoints.Pending pending,
      List<Services.Bound> later,
      Exception cause) {
    Checkpoints.Checkpoint cp;
    try {
      cp = finish(app, pending, later);
    } catch (IOException | BackupException | RuntimeException e) {
      log.error("{}: checkpoint {} cannot be written", app, pending.id(), e);
      return new BackupException(
          "the restore failed ("
              + cause.getMessage()
              + ") and the checkpoint of the data before cannot be written ("
              + e.getMessage()
              + "); that data is kept until the next restore writes it",
          cause);
    }
    try {
      checkpoints.restore(cp, services);
      return new BackupException(
          "the restore failed ("
              + cause.getMessage()
              + "); the data as it was before is back (checkpoint "
              + cp.id()
              + ")",
          cause);
    } catch (IOException | BackupException | RuntimeException e) {
      log.error("{}: putting back checkpoint {} failed too", app, cp.id(), e);
      return new BackupException(
          "the restore failed ("
              + cause.getMessage()
              + ") and putting back the data as it was failed too ("
              + e.getMessage()
              + "); the data before is kept as checkpoint "
              + cp.id(),
          cause);
    }
  }

  /** Work that ends checkpoints. */
  @FunctionalInterface
  interface CheckpointWork {
    void run() throws Exception;
  }

  /**
   * Runs {@code work} on a thread of its own, which holds the app's {@code turn} until it is done;
   * the app's checkpoints wait for it ({@link Checkpoints#finishing}).
   */
  void finishInBackground(String app, AppTurns.Turn turn, CheckpointWork work) {
    FutureTask<Void> task =
        new FutureTask<>(
            () -> {
              try (turn) {
                work.run();
                return null;
              } catch (Exception e) {
                log.error("{}: a checkpoint cannot be written: {}", app, e.toString());
                throw e;
              }
            });
    checkpoints.finishing(app, task);
    Thread t = new Thread(task, "checkpoint-" + app);
    t.setDaemon(false); // a short-lived process (restore --devel) waits for it
    t.start();
  }

  /** Keeps the newest {@link #KEEP_RESTORE_CHECKPOINTS} checkpoints restores took. */
  void prune(String app) {
    try {
      checkpoints.prune(app, RESTORE_REASON, KEEP_RESTORE_CHECKPOINTS);
    } catch (IOException e) {
      log.warn("cannot prune the restore checkpoints of {}: {}", app, e.toString());
    }
  }

  /** The services of {@code services} named {@code names}; fails when one is missing. */
  static List<Services.Bound> servicesNamed(List<String> names, List<Services.Bound> services)
      throws BackupException {
    List<Services.Bound> out = new ArrayList<>();
    for (String name : names) {
      out.add(
          services.stream()
              .filter(b -> b.service().name().equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new BackupException(
                          "service." + name + " is no longer among the app's services")));
    }
    return out;
  }

  static String names(List<Services.Bound> services) {
    return String.join(", ", services.stream().map(b -> b.service().name()).toList());
  }
}

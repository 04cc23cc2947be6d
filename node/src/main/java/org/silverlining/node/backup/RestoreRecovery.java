package org.silverlining.node.backup;

import java.util.List;
import java.util.Optional;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.service.Services;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a starting node does about a restore that a node stop cut short, from its record ({@link
 * RestoreJournal}): the switch may have replaced part of the app's data, so the checkpoint of the
 * data before is finished and put back; before the switch nothing had changed.
 */
final class RestoreRecovery {
  private static final Logger log = LoggerFactory.getLogger(RestoreRecovery.class);

  private final NodeLayout layout;
  private final RestoreCheckpoints ends;
  private final AppTurns turns;

  RestoreRecovery(NodeLayout layout, RestoreCheckpoints ends, AppTurns turns) {
    this.layout = layout;
    this.ends = ends;
    this.turns = turns;
  }

  /**
   * Recovers the restore of {@code t}'s data a node stop cut short, if its record is there: one
   * stopped during the switch may have replaced part of the data, so its checkpoint is written
   * (from the data the switch replaced) and put back; one stopped before had changed nothing.
   */
  void recover(BackupService.Target t) throws Exception {
    Optional<RestoreJournal.Interrupted> found = RestoreJournal.find(layout, t.app());
    if (found.isEmpty()) {
      return;
    }
    RestoreJournal.Interrupted r = found.get();
    if (!r.step().equals("switch") || r.checkpoint() == null) {
      log.warn(
          "{}: the {} was cut short by a node stop during {}, before it changed the app's data",
          t.app(),
          r.what(),
          r.step());
      RestoreJournal.delete(layout, t.app());
      return;
    }
    try (AppTurns.Turn turn = turns.take(t.app())) {
      List<Services.Bound> bound = t.services().bind();
      Checkpoints.Checkpoint cp = null;
      for (Checkpoints.Pending p : ends.checkpoints().unfinished(t.app())) {
        if (p.id().equals(r.checkpoint())) {
          cp = ends.finish(t.app(), p, RestoreCheckpoints.servicesNamed(p.later(), bound));
        } else {
          p.suspend(); // an earlier restore's: finished with the others, next
        }
      }
      if (cp == null) {
        cp =
            ends.checkpoints()
                .find(t.app(), r.checkpoint())
                .orElseThrow(
                    () ->
                        new BackupException(
                            "checkpoint " + r.checkpoint() + " of the data before is gone"));
      }
      ends.checkpoints().restore(cp, bound);
      RestoreJournal.delete(layout, t.app());
      log.warn(
          "{}: the {} was cut short by a node stop during its switch; the data as it was before is"
              + " back (checkpoint {})",
          t.app(),
          r.what(),
          cp.id());
    }
  }
}

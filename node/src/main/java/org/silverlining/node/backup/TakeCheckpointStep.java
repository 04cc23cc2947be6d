package org.silverlining.node.backup;

import java.io.IOException;
import org.silverlining.node.steps.Step;

/**
 * Claims the checkpoint begun at the start once its early parts are written, and records on disk
 * which services' parts are written after the switch (from the data the switch replaces), for a
 * node that stops in between. The undo, after a failed switch, writes the rest and puts the
 * checkpoint back.
 */
final class TakeCheckpointStep implements Step<RestoreJob> {
  private final RestoreCheckpoints ends;

  TakeCheckpointStep(RestoreCheckpoints ends) {
    this.ends = ends;
  }

  @Override
  public String name() {
    return "checkpoint";
  }

  @Override
  public String run(RestoreJob job) throws Exception {
    job.later = job.services.stream().filter(b -> b.service().keepsReplaced()).toList();
    Checkpoints.Pending cp = job.early.claim();
    try {
      cp.awaiting(job.later.stream().map(b -> b.service().name()).toList());
    } catch (IOException | RuntimeException e) {
      cp.abandon();
      throw e;
    }
    job.checkpoint = cp;
    return cp.id()
        + (job.later.isEmpty()
            ? ""
            : " (" + RestoreCheckpoints.names(job.later) + ": after the switch)");
  }

  @Override
  public void undo(RestoreJob job) {
    Exception cause =
        job.switchFailure != null ? job.switchFailure : new IOException("a later step failed");
    job.failure = ends.putBack(job.app, job.services, job.checkpoint, job.later, cause);
  }
}

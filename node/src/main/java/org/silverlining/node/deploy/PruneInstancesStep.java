package org.silverlining.node.deploy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.silverlining.node.backup.Checkpoints;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.layout.Trees;
import org.silverlining.node.state.StateStore;
import org.slf4j.LoggerFactory;

/**
 * Removes the files of old instances of the app, keeping the newest {@link #KEEP} and every
 * instance a location still names (active or previous). Their records stay, marked removed. Keeps
 * the newest {@link #KEEP_CHECKPOINTS} checkpoints taken before updates and deletes older ones
 * (checkpoints taken for other reasons are left alone).
 */
final class PruneInstancesStep implements DeployStep {
  static final int KEEP = 5;

  /** Update checkpoints kept per app: one per instance kept, for rollback --restore-data. */
  static final int KEEP_CHECKPOINTS = KEEP;

  static final String UPDATE_REASON = "before update to ";

  private final NodeLayout layout;
  private final StateStore state;
  private final Checkpoints checkpoints;

  PruneInstancesStep(NodeLayout layout, StateStore state, Checkpoints checkpoints) {
    this.layout = layout;
    this.state = state;
    this.checkpoints = checkpoints;
  }

  @Override
  public String name() {
    return "prune";
  }

  @Override
  public String run(Deployment d) throws Exception {
    Set<String> named = new HashSet<>();
    for (StateStore.LocationRecord l : state.locations()) {
      named.add(l.active());
      named.add(l.previous());
    }
    List<StateStore.InstanceRecord> instances = state.instancesOf(d.app); // newest first
    int kept = 0;
    int removed = 0;
    for (StateStore.InstanceRecord r : instances) {
      if (!r.status().equals("ready")) {
        continue; // failed ones left no files; deploying ones are in progress
      }
      if (named.contains(r.name()) || kept < KEEP) {
        kept++;
        continue;
      }
      Trees.delete(layout.instanceDir(d.app, r.name()));
      state.setInstanceStatus(r.name(), "removed", r.detail());
      removed++;
    }
    int gone = pruneCheckpoints(d.app);
    return (removed == 0 ? "no old instance" : removed + " old instance(s)")
        + (gone == 0 ? "" : ", " + gone + " old checkpoint(s)")
        + " removed";
  }

  private int pruneCheckpoints(String app) {
    try {
      return checkpoints.prune(app, UPDATE_REASON, KEEP_CHECKPOINTS).size();
    } catch (java.io.IOException e) {
      // Old checkpoints only take space; a later update tries again.
      LoggerFactory.getLogger(PruneInstancesStep.class)
          .warn("cannot prune the checkpoints of {}: {}", app, e.toString());
      return 0;
    }
  }
}

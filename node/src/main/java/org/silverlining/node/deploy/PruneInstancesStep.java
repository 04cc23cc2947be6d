package org.silverlining.node.deploy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.silverlining.node.NodeLayout;
import org.silverlining.node.state.StateStore;

/**
 * Removes the files of old instances of the app, keeping the newest {@link #KEEP} and every
 * instance a location still names (active or previous). Their records stay, marked removed.
 */
final class PruneInstancesStep implements DeployStep {
  static final int KEEP = 5;
  private final NodeLayout layout;
  private final StateStore state;

  PruneInstancesStep(NodeLayout layout, StateStore state) {
    this.layout = layout;
    this.state = state;
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
    return removed == 0 ? "nothing to remove" : removed + " old instance(s) removed";
  }
}

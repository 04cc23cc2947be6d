package org.silverlining.node.deploy;

import org.silverlining.node.state.StateStore;
import org.silverlining.node.steps.Step;

/**
 * Makes the instance live at the location: one committed state change (the instance it replaces
 * becomes the previous one), then one swap of the front's routing table; the undo puts back what
 * was live.
 */
final class SwitchTargetStep implements Step<Activation.Job> {
  private final StateStore state;
  private final Runnable publishRoutes;

  SwitchTargetStep(StateStore state, Runnable publishRoutes) {
    this.state = state;
    this.publishRoutes = publishRoutes;
  }

  @Override
  public String name() {
    return "switch";
  }

  @Override
  public String run(Activation.Job job) throws Exception {
    StateStore.LocationRecord r = job.before;
    state.putLocation(new StateStore.LocationRecord(r.location(), r.app(), job.target, r.active()));
    publishRoutes.run();
    return r.location() + " -> " + job.target;
  }

  @Override
  public void undo(Activation.Job job) throws Exception {
    state.putLocation(job.before);
    publishRoutes.run();
  }
}

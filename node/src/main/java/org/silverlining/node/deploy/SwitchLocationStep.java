package org.silverlining.node.deploy;

import org.silverlining.node.state.StateStore;

/**
 * Makes the new instance live: one committed state change, then one swap of the front's routing
 * table. Requests already routed finish on the old instance; the next ones go to the new.
 */
final class SwitchLocationStep implements DeployStep {
  private final StateStore state;
  private final Runnable publishRoutes;

  SwitchLocationStep(StateStore state, Runnable publishRoutes) {
    this.state = state;
    this.publishRoutes = publishRoutes;
  }

  @Override
  public String name() {
    return "switch";
  }

  @Override
  public String run(Deployment d) throws Exception {
    String previous = d.before != null && d.before.app().equals(d.app) ? d.before.active() : null;
    state.putLocation(
        new StateStore.LocationRecord(d.location.toString(), d.app, d.instance, previous));
    state.setInstanceStatus(d.instance, "ready", "deployed by " + d.deployedBy);
    publishRoutes.run();
    return d.location + " -> " + d.instance;
  }

  @Override
  public void undo(Deployment d) throws Exception {
    if (d.before == null) {
      state.removeLocation(d.location.toString());
    } else {
      state.putLocation(d.before);
    }
    publishRoutes.run();
  }
}

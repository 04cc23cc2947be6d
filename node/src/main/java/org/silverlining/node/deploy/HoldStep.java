package org.silverlining.node.deploy;

import java.util.List;

/**
 * For a nodeset's update, waits before the switch until the CLI says that every app server is ready
 * ({@link SwitchGate}); a deployment to a single node passes straight through.
 */
final class HoldStep implements DeployStep {
  private final SwitchGate gate;

  HoldStep(SwitchGate gate) {
    this.gate = gate;
  }

  @Override
  public String name() {
    return "hold";
  }

  @Override
  public boolean shown() {
    return false;
  }

  @Override
  public String run(Deployment d) throws Exception {
    if (d.hold == null) {
      return "not held";
    }
    if (!gate.await(d.recorder.id(), d.hold)) {
      throw new DeployFailedException(
          "hold", "abandoned: another app server of the nodeset could not be updated", List.of());
    }
    return "released";
  }
}

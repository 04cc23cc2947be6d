package org.silverlining.node.deploy;

import java.time.Duration;
import org.silverlining.node.instance.InstanceManager;

/** Starts the new instance's processes on private ports and waits until they are ready. */
final class StartInstanceStep implements DeployStep {
  private final InstanceManager instances;

  StartInstanceStep(InstanceManager instances) {
    this.instances = instances;
  }

  @Override
  public String name() {
    return "start";
  }

  @Override
  public String run(Deployment d) throws Exception {
    d.live = instances.start(d.instance);
    if (d.live.processes() == null) {
      return "static files only";
    }
    StringBuilder ports = new StringBuilder();
    d.live
        .processes()
        .processes()
        .forEach(p -> ports.append(ports.length() == 0 ? "" : ",").append(p.port()));
    return d.live.processes().processes().size() + " process(es) ready on port " + ports;
  }

  @Override
  public void undo(Deployment d) {
    instances.stop(d.instance, Duration.ZERO, Duration.ZERO);
  }
}

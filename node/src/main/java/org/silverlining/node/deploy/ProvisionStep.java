package org.silverlining.node.deploy;

import java.util.List;
import org.silverlining.node.service.AppServices;
import org.silverlining.node.service.Services;

/**
 * Provisions the services the new instance's app.ini declares, before it starts. Provisioning is
 * idempotent and never removes data, so there is nothing to undo; a service server that cannot be
 * reached fails the deployment here, while the old instance still serves.
 */
final class ProvisionStep implements DeployStep {
  private final AppServices services;

  ProvisionStep(AppServices services) {
    this.services = services;
  }

  @Override
  public String name() {
    return "provision";
  }

  @Override
  public String run(Deployment d) throws Exception {
    List<Services.Bound> bound = services.bind(d.config);
    d.services = bound;
    for (Services.Bound b : bound) {
      b.service().provision(b.scope());
    }
    return bound.isEmpty()
        ? "no services"
        : String.join(", ", bound.stream().map(b -> b.scope().alias()).toList());
  }
}

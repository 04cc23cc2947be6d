package org.silverlining.node.deploy;

import java.util.function.BooleanSupplier;
import org.silverlining.node.staticfiles.ResourceBuilder;

/**
 * Builds the named resources of the new instance's {@code resources.ini} (see {@link
 * ResourceBuilder}) before the {@code static} stage compresses what it wrote. Its files are inside
 * the instance's folder, which the unpack step's undo removes.
 */
final class ResourcesStep implements DeployStep {
  private final BooleanSupplier production;

  ResourcesStep(BooleanSupplier production) {
    this.production = production;
  }

  @Override
  public String name() {
    return "resources";
  }

  @Override
  public String run(Deployment d) throws Exception {
    return ResourceBuilder.build(d.instanceDir, production.getAsBoolean());
  }
}

package org.silverlining.node.lifecycle;

import java.io.IOException;
import java.sql.SQLException;
import org.silverlining.node.config.ConfigStores;
import org.silverlining.node.deploy.DeploymentRecovery;
import org.silverlining.node.instance.InstanceManager;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.layout.Trees;
import org.silverlining.node.process.Supervisor;
import org.silverlining.node.service.AppServices;
import org.silverlining.node.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node does once on start, before it serves: stops the app processes a killed predecessor
 * left, recovers the deployments it interrupted ({@link DeploymentRecovery}), marks the instances
 * still being deployed as failed and removes their files, publishes the routes, and starts the
 * instance live at each location again.
 */
public final class StartReconciler {
  private static final Logger log = LoggerFactory.getLogger(StartReconciler.class);

  private final NodeLayout layout;
  private final StateStore state;
  private final Supervisor supervisor;
  private final AppServices appServices;
  private final ConfigStores configs;
  private final InstanceManager instances;
  private final Runnable publishRoutes;

  public StartReconciler(
      NodeLayout layout,
      StateStore state,
      Supervisor supervisor,
      AppServices appServices,
      ConfigStores configs,
      InstanceManager instances,
      Runnable publishRoutes) {
    this.layout = layout;
    this.state = state;
    this.supervisor = supervisor;
    this.appServices = appServices;
    this.configs = configs;
    this.instances = instances;
    this.publishRoutes = publishRoutes;
  }

  public void run() throws SQLException, IOException {
    int stopped = supervisor.stopLeftovers();
    if (stopped > 0) {
      log.info("stopped {} app process(es) left by an earlier run", stopped);
    }
    try {
      new DeploymentRecovery(layout, state, appServices, configs).recover();
    } catch (Exception e) {
      log.error("cannot read the interrupted deployments: {}", e.toString());
    }
    for (StateStore.InstanceRecord r : state.instancesWithStatus("deploying")) {
      log.info("deployment {} was interrupted; marking it failed", r.name());
      state.setInstanceStatus(r.name(), "failed", "interrupted by a node restart");
      Trees.delete(layout.instanceDir(r.app(), r.name()));
      Trees.delete(layout.instancesDir(r.app()).resolve(r.name() + ".partial"));
    }
    publishRoutes.run();
    for (StateStore.LocationRecord l : state.locations()) {
      if (l.active() != null) {
        instances.live(l.active());
      }
    }
  }
}

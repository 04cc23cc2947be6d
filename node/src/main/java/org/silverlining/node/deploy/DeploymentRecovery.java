package org.silverlining.node.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.silverlining.core.AppConfig;
import org.silverlining.core.InstanceName;
import org.silverlining.node.backup.Checkpoints;
import org.silverlining.node.config.ConfigRevisions;
import org.silverlining.node.config.ConfigStores;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.layout.Trees;
import org.silverlining.node.service.AppServices;
import org.silverlining.node.service.Services;
import org.silverlining.node.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts back what deployments interrupted by the node's end (a crash, {@code kill -9}) changed, on
 * the next start and before anything is served: the location serves the instance it had before, the
 * app's data is restored from the deployment's checkpoint (once one was recorded, the new version
 * may have changed it), a configuration revision the deployment recorded is reverted, the new
 * instance's files are removed, and the deployment is recorded as failed — last, so that a crash
 * during recovery is recovered again at the next start.
 */
public final class DeploymentRecovery {
  private static final Logger log = LoggerFactory.getLogger(DeploymentRecovery.class);
  private static final String WHO = "node (recovery)";

  private final NodeLayout layout;
  private final StateStore state;
  private final AppServices services;
  private final ConfigStores configs;
  private final Checkpoints checkpoints;

  public DeploymentRecovery(
      NodeLayout layout, StateStore state, AppServices services, ConfigStores configs) {
    this.layout = layout;
    this.state = state;
    this.services = services;
    this.configs = configs;
    this.checkpoints = new Checkpoints(layout);
  }

  /** Recovers every deployment recorded as running; returns one line per deployment. */
  public List<String> recover() throws Exception {
    List<String> done = new ArrayList<>();
    for (StateStore.DeploymentRecord r : state.deploymentsWithStatus("running")) {
      try {
        done.add(recover(r));
      } catch (Exception e) {
        // Left recorded as running: the next start tries again; the other apps are served.
        log.error("cannot recover deployment {} of {}: {}", r.id(), r.app(), e.toString());
      }
    }
    return done;
  }

  private String recover(StateStore.DeploymentRecord r) throws Exception {
    List<String> what = new ArrayList<>();
    if (r.instance() != null) {
      restoreLocation(r, what);
      restoreData(r, what);
    }
    revertConfig(r, what);
    if (r.instance() != null) {
      state.setInstanceStatus(r.instance(), "failed", "interrupted by a node restart");
      Trees.delete(layout.instanceDir(r.app(), r.instance()));
      Trees.delete(layout.instancesDir(r.app()).resolve(r.instance() + ".partial"));
    }
    String done = what.isEmpty() ? "" : "; " + String.join(", ", what);
    state.finishDeployment(
        r.id(),
        "failed",
        r.stage(),
        "interrupted by a node restart during " + r.stage() + done,
        r.stages());
    String line =
        "deployment "
            + r.id()
            + " of "
            + r.app()
            + " ("
            + (r.instance() == null ? "no instance yet" : r.instance())
            + ") was interrupted during "
            + r.stage()
            + done;
    log.warn(line);
    return line;
  }

  private void restoreLocation(StateStore.DeploymentRecord r, List<String> what) throws Exception {
    StateStore.LocationRecord now = state.location(r.location()).orElse(null);
    if (now == null || !r.instance().equals(now.active())) {
      return;
    }
    if (r.before() == null) {
      state.removeLocation(r.location());
      what.add("location " + r.location() + " removed again");
    } else {
      state.putLocation(
          new StateStore.LocationRecord(
              r.location(), InstanceName.parse(r.before()).app(), r.before(), r.beforePrevious()));
      what.add(r.before() + " live again");
    }
  }

  private void restoreData(StateStore.DeploymentRecord r, List<String> what) throws Exception {
    if (r.checkpoint() == null) {
      return;
    }
    Path dir = layout.instanceDir(r.app(), r.instance());
    Checkpoints.Checkpoint c = checkpoints.find(r.app(), r.checkpoint()).orElse(null);
    if (c == null || !Files.isDirectory(dir)) {
      log.error(
          "cannot restore checkpoint {} of {}: {}",
          r.checkpoint(),
          r.app(),
          c == null ? "it is gone" : "the instance's app.ini is gone");
      what.add("checkpoint " + r.checkpoint() + " could NOT be restored");
      return;
    }
    List<Services.Bound> bound = services.bind(AppConfig.load(dir, false).withAppName(r.app()));
    checkpoints.restore(c, bound);
    what.add("data restored from checkpoint " + r.checkpoint());
  }

  private void revertConfig(StateStore.DeploymentRecord r, List<String> what) throws Exception {
    ConfigRevisions revisions = configs.of(r.app());
    int current = revisions.current().map(rev -> rev.number()).orElse(0);
    int target;
    if (r.configRecorded()) {
      if (current != r.configRevision()) {
        return; // already reverted by an earlier, interrupted recovery
      }
      target = r.configBefore();
    } else if (r.stage().equals("config")) {
      // Killed inside the config stage: a revision may have been recorded but not yet noted.
      // The configuration the previous instance runs with is the one to keep.
      java.util.OptionalInt before =
          r.before() == null || !InstanceName.parse(r.before()).app().equals(r.app())
              ? java.util.OptionalInt.empty() // unknown: the app may run elsewhere with it
              : state.configRevision(r.before());
      if (before.isEmpty() || revisions.sameFiles(before.getAsInt(), current)) {
        return;
      }
      target = before.getAsInt();
    } else {
      return;
    }
    if (target > 0) {
      revisions.revert(target, WHO);
    } else {
      revisions.delete(WHO);
    }
    what.add("configuration revision " + target + " current again");
  }
}

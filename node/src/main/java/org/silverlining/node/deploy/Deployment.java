package org.silverlining.node.deploy;

import java.nio.file.Path;
import org.silverlining.core.AppConfig;
import org.silverlining.core.Location;
import org.silverlining.node.config.ConfigChange;
import org.silverlining.node.front.LiveInstance;
import org.silverlining.node.state.StateStore;

/** What one deployment knows as its stages run: given at the start, then filled in by the steps. */
public final class Deployment {
  final String app;
  final Location location;
  final Path archive;
  final String deployedBy;
  final Progress progress;

  /** What served the location before; {@code null} for a new location. */
  final StateStore.LocationRecord before;

  /** What the deployment does to the configuration. */
  ConfigChange configChange = ConfigChange.KEEP;

  /**
   * The instance whose files are copied instead of unpacking an archive (a configuration change).
   */
  Path sourceDir;

  String instance;
  Path instanceDir;
  AppConfig config;
  LiveInstance live;
  int configBefore;
  int configRevision;
  boolean configRecorded;

  Deployment(
      String app,
      Location location,
      Path archive,
      String deployedBy,
      Progress progress,
      StateStore.LocationRecord before) {
    this.app = app;
    this.location = location;
    this.archive = archive;
    this.deployedBy = deployedBy;
    this.progress = progress;
    this.before = before;
  }

  public String instance() {
    return instance;
  }

  /** The configuration revision the new instance runs with (0: none). */
  public int configRevision() {
    return configRevision;
  }
}

package org.silverlining.node.deploy;

import java.nio.file.Path;
import java.util.List;
import org.silverlining.core.AppArchive;
import org.silverlining.core.AppConfig;
import org.silverlining.core.Location;
import org.silverlining.node.backup.Checkpoints;
import org.silverlining.node.config.ConfigChange;
import org.silverlining.node.front.LiveInstance;
import org.silverlining.node.service.Services;
import org.silverlining.node.state.StateStore;
import org.silverlining.node.steps.Progress;

/** What one deployment knows as its stages run: given at the start, then filled in by the steps. */
public final class Deployment {
  final String app;
  final Location location;
  final Path archive;
  final String deployedBy;
  final Progress progress;

  /** The app's {@code update.log}, or null. */
  java.util.function.Consumer<String> journal;

  /** What served the location before; {@code null} for a new location. */
  final StateStore.LocationRecord before;

  /** For one app server of a nodeset: how it waits before its switch; null for a single node. */
  SwitchGate.Hold hold;

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

  /** The services of the new instance's app.ini, bound (set by provision). */
  List<Services.Bound> services = List.of();

  /** The files the deployment brought (set by unpack). */
  List<AppArchive.FileEntry> files = List.of();

  /** The checkpoint of the app's data taken before anything could change it; null: none. */
  Checkpoints.Checkpoint checkpoint;

  /** What the upload stage put in the app's {@code cdn}; null: nothing. */
  PushStep.Pushed pushed;

  /** Where the runner records each stage (the deployment registry); null: nowhere. */
  DeploymentRecorder recorder;

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

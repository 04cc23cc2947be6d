package org.silverlining.node.backup;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.silverlining.node.backupformat.Arrivals;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.service.Service.Staged;
import org.silverlining.node.service.Services;

/** What one restore knows as its steps run: given at the start, then filled in by the steps. */
final class RestoreJob {
  final String app;
  final String instance;
  final List<Services.Bound> services;

  /** The backup folder: where the archive is received, or the folder restored. */
  final Path dir;

  /** The archive to receive into {@link #dir}; null: the folder is there already. */
  final InputStream archive;

  /** The archive as messages name it ("the uploaded backup"). */
  final String source;

  /** The restore in the checkpoint's reason: "restore of ...". */
  final String what;

  /** The facts the checkpoint's manifest gets. */
  final Map<String, String> facts;

  /** The files of the backup as they arrive, which the load reads (set by start-load). */
  Arrivals arrivals;

  EarlyCheckpoint early;
  StagedLoad loading;

  /** What the receive found wrong with the files, hashed as they arrived; null: not received. */
  List<String> problems;

  Manifest manifest;

  /** The services' restores, staged beside the app's data (set by the load). */
  List<Staged> staged = List.of();

  /** How many of {@link #staged}, first to last, the switch put in place or discarded. */
  int settled;

  /** The checkpoint of the data before (set by the checkpoint step). */
  Checkpoints.Pending checkpoint;

  /** The services whose part of the checkpoint is written after the switch. */
  List<Services.Bound> later = List.of();

  /** Why the switch failed; the checkpoint's undo says how putting the data back went. */
  Exception switchFailure;

  /** The restore's failure as the user is told it, when a step's undo settled it. */
  BackupException failure;

  RestoreJob(
      String app,
      String instance,
      List<Services.Bound> services,
      Path dir,
      InputStream archive,
      String source,
      String what,
      Map<String, String> facts) {
    this.app = app;
    this.instance = instance;
    this.services = services;
    this.dir = dir;
    this.archive = archive;
    this.source = source;
    this.what = what;
    this.facts = facts;
  }
}

package org.silverlining.node.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.layout.Trees;
import org.silverlining.node.logs.StreamLogs;
import org.silverlining.node.service.Services;
import org.silverlining.node.steps.Progress;
import org.silverlining.node.steps.Step;
import org.silverlining.node.steps.StepFailedException;
import org.silverlining.node.steps.StepsRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the node does with backups of an app's data: backs it up into an archive stream, restores an
 * archive received as a stream, restores a checkpoint or scheduled backup by id, and lists them
 * ({@link BackupCatalog}).
 *
 * <p>A restore is a list of steps run by {@link StepsRunner}, each recorded in {@link
 * RestoreJournal} before it acts and undone, last first, when a later one fails: finish the
 * checkpoints earlier restores left unfinished, begin the checkpoint, start the load, then the
 * stages the user sees: receive (unpack the stream into a folder under {@code uploads/}), verify
 * (every checksum, and that the backup holds exactly the app's services), load (each service
 * {@linkplain org.silverlining.node.service.Service#stage stages} its restore beside the app's
 * data: PostgreSQL into a database of its own), checkpoint (a backup of the current data, see
 * {@link Checkpoints}), switch (each staged restore takes the place of the app's data). The
 * checkpoint of a service that keeps the data its switch replaces (PostgreSQL keeps the database)
 * is written from that data after the switch, on a thread of its own, and so holds every write up
 * to the switch; the other services' are taken beside the receive and the load. Before the switch
 * the checkpoint records on disk what it still needs, so that a node stopped before it is written
 * writes it when it starts ({@link #finishUnfinished}); the replaced data is dropped only once it
 * is. When the switch fails, the checkpoint is written and put back at once; a node stopped during
 * the switch puts it back when it starts. One backup or restore (or the end of a restore's
 * checkpoint) runs at a time per app.
 */
public final class BackupService {
  private static final Logger log = LoggerFactory.getLogger(BackupService.class);

  private static final String SNAPSHOT_PREFIX = "backup-";
  private static final String RESTORE_PREFIX = "restore-";

  private final NodeLayout layout;
  private final BackupCatalog catalog;
  private final RestoreCheckpoints ends;
  private final String nodeName;
  private final AppTurns turns = new AppTurns();
  private final RestoreRecovery recovery;

  /** What a restore did: the checkpoint that holds the data it replaced, and the backup's facts. */
  public record Restored(
      String checkpoint, Map<String, String> backupFacts, List<String> services) {}

  /**
   * An app live on this node, as backups see it: where, what instance, its {@code backup.*}
   * settings among app.ini's settings, and how to bind its services.
   */
  public record Target(
      String location,
      String app,
      String instance,
      Map<String, String> settings,
      Binding services) {}

  /** Binds an app's services when a backup needs them. */
  @FunctionalInterface
  public interface Binding {
    List<Services.Bound> bind() throws Exception;
  }

  private final StreamLogs streamLogs;

  public BackupService(NodeLayout layout, String nodeName) {
    this(layout, nodeName, StreamLogs.NONE);
  }

  /** {@code streamLogs}: where each restore's stages and outcome go (the app's update.log). */
  public BackupService(NodeLayout layout, String nodeName, StreamLogs streamLogs) {
    this.streamLogs = streamLogs;
    this.layout = layout;
    this.catalog = new BackupCatalog(layout);
    this.ends = new RestoreCheckpoints(layout, catalog.checkpoints());
    this.nodeName = nodeName;
    this.recovery = new RestoreRecovery(layout, ends, turns);
  }

  /** Removes what backups and restores interrupted by a node stop left in {@code uploads/}. */
  public void clearLeftovers() throws IOException {
    Path dir = uploads();
    try (var s = Files.list(dir)) {
      for (Path p : s.toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith(SNAPSHOT_PREFIX) || name.startsWith(RESTORE_PREFIX)) {
          Trees.delete(p);
        }
      }
    }
  }

  public BackupCatalog catalog() {
    return catalog;
  }

  public Checkpoints checkpoints() {
    return catalog.checkpoints();
  }

  public Checkpoints scheduled() {
    return catalog.scheduled();
  }

  /** The checkpoint, or else the scheduled backup, of {@code app} with id {@code id}. */
  public Optional<Checkpoints.Checkpoint> find(String app, String id) throws IOException {
    return catalog.find(app, id);
  }

  /** Checkpoints and scheduled backups of {@code app}, newest first, as the API shows them. */
  public List<Map<String, Object>> list(String app) throws IOException {
    return catalog.list(app);
  }

  /** A finished backup in a temporary folder, deleted on close. */
  public static final class Snapshot implements AutoCloseable {
    private final Path dir;
    private final Manifest manifest;
    private boolean handedOver;

    Snapshot(Path dir, Manifest manifest) {
      this.dir = dir;
      this.manifest = manifest;
    }

    public Manifest manifest() {
      return manifest;
    }

    /** Writes the backup as an archive to {@code out}; {@code out} stays open. */
    public void writeTo(OutputStream out, BackupArchive.Compression compression)
        throws IOException {
      BackupArchive.pack(dir, out, compression);
    }

    /**
     * The backup folder, which from now on belongs to whoever takes it: a client on this machine
     * moves it away. What nobody takes is cleared when the node starts ({@link #clearLeftovers}).
     */
    public Path handOver() {
      handedOver = true;
      return dir;
    }

    @Override
    public void close() throws IOException {
      if (!handedOver) {
        Trees.delete(dir.getParent());
      }
    }
  }

  /**
   * Backs up {@code services} of {@code app} into a temporary folder, ready to be sent. {@code
   * instance} names what was live, for the manifest.
   */
  public Snapshot snapshot(String app, String instance, List<Services.Bound> services)
      throws IOException, BackupException {
    Path tmp = Files.createTempDirectory(uploads(), SNAPSHOT_PREFIX);
    try (AppTurns.Turn turn = turns.take(app)) {
      Manifest m = Backup.write(services, tmp.resolve("backup"), facts(app, instance));
      return new Snapshot(tmp.resolve("backup"), m);
    } catch (IOException | BackupException | RuntimeException e) {
      Trees.delete(tmp);
      throw e;
    }
  }

  /**
   * Backs up {@code services} of {@code app} and sends it to {@code out} as a {@link BackupStream}:
   * each data file while it is written, then the rest, the manifest last. On failure the stream
   * ends with the error, which is thrown too. The folder written on the way is deleted.
   */
  public Manifest stream(
      String app, String instance, List<Services.Bound> services, OutputStream out)
      throws IOException, BackupException {
    Path tmp = Files.createTempDirectory(uploads(), SNAPSHOT_PREFIX);
    try (AppTurns.Turn turn = turns.take(app)) {
      Path dir = tmp.resolve("backup");
      BackupStream.Writer w = new BackupStream.Writer(out, dir);
      long t0 = System.nanoTime();
      Manifest m;
      try {
        m = Backup.write(services, dir, facts(app, instance), w);
      } catch (IOException | BackupException | RuntimeException e) {
        try {
          w.fail(e.getMessage() == null ? e.toString() : e.getMessage());
        } catch (IOException gone) {
          e.addSuppressed(gone);
        }
        throw e;
      }
      long t1 = System.nanoTime();
      w.finish();
      log.info(
          "backup of {} streamed: written (and its data files sent) in {} ms, the rest sent in {}"
              + " ms",
          app,
          (t1 - t0) / 1_000_000,
          (System.nanoTime() - t1) / 1_000_000);
      return m;
    } finally {
      Trees.delete(tmp);
    }
  }

  /**
   * Replaces the data of {@code services} of {@code app} with the backup read from {@code archive}
   * (a {@code .tar.gz} or {@code .tar.zst} stream), in the steps the class describes. Fails with
   * every problem listed, and with nothing changed, when the archive is damaged or truncated or its
   * services differ from the app's.
   */
  public Restored restore(
      String app,
      String instance,
      List<Services.Bound> services,
      InputStream archive,
      Progress progress)
      throws IOException, BackupException {
    return restoreArchive(
        app,
        instance,
        services,
        archive,
        "the uploaded backup",
        "restore of an uploaded backup",
        progress);
  }

  /**
   * Puts back checkpoint (or, when no checkpoint has that id, scheduled backup) {@code id} of
   * {@code app}, taking a checkpoint of the current data first.
   */
  public Restored restoreCheckpoint(
      String app, String instance, List<Services.Bound> services, String id, Progress progress)
      throws IOException, BackupException {
    Optional<Checkpoints.Checkpoint> c = find(app, id);
    if (c.isEmpty()) {
      throw new BackupException(
          "no checkpoint or scheduled backup '" + id + "' of " + app + "; see silver backups");
    }
    RestoreJob job =
        new RestoreJob(
            app,
            instance,
            services,
            c.get().dir(),
            null,
            null,
            "restore of checkpoint " + id,
            facts(app, instance));
    return run(job, progress);
  }

  /**
   * Replaces the data of {@code services} of {@code app} with the backup folder or archive at
   * {@code backup}, in the steps the class describes, and returns once the checkpoint is written
   * too (for a process that ends then).
   */
  public Restored restoreFrom(
      String app, List<Services.Bound> services, Path backup, Progress progress)
      throws IOException, BackupException {
    Restored r;
    String what = "restore of " + backup;
    if (Files.isDirectory(backup)) {
      r =
          run(
              new RestoreJob(app, null, services, backup, null, null, what, facts(app, null)),
              progress);
    } else {
      try (InputStream in = Files.newInputStream(backup)) {
        r = restoreArchive(app, null, services, in, backup.toString(), what, progress);
      }
    }
    Optional<Exception> failed = checkpoints().awaitFinishing(app);
    if (failed.isPresent()) {
      throw new BackupException(
          "restored, but checkpoint "
              + r.checkpoint()
              + " of the data before is not written ("
              + failed.get().getMessage()
              + "); that data is kept until the next restore writes it",
          failed.get());
    }
    return r;
  }

  /**
   * Restores the archive {@code archive}, received into a folder under {@code uploads/} that is
   * deleted afterwards; {@code source} names the archive in messages and {@code what} ({@code
   * restore of ...}) the restore in the checkpoint's reason.
   */
  private Restored restoreArchive(
      String app,
      String instance,
      List<Services.Bound> services,
      InputStream archive,
      String source,
      String what,
      Progress progress)
      throws IOException, BackupException {
    Path tmp = Files.createTempDirectory(uploads(), RESTORE_PREFIX);
    try {
      RestoreJob job =
          new RestoreJob(
              app,
              instance,
              services,
              tmp.resolve("backup"),
              archive,
              source,
              what,
              facts(app, instance));
      return run(job, progress);
    } finally {
      Trees.delete(tmp);
    }
  }

  /** The steps of a restore of a folder ({@code archive}: of an archive, received first). */
  private List<Step<RestoreJob>> steps(boolean archive) {
    List<Step<RestoreJob>> steps = new ArrayList<>();
    steps.add(new FinishCheckpointsStep(ends));
    // The checkpoint's early parts only read the current data and the load stages beside it, so
    // both run while the backup arrives; the runner deletes them again when it is refused.
    steps.add(new BeginCheckpointStep(ends));
    steps.add(new StartLoadStep());
    if (archive) {
      steps.add(new ReceiveBackupStep(layout));
    }
    steps.add(new VerifyBackupStep());
    // Loading beside the app's data touches none of it: it runs while the checkpoint is taken.
    steps.add(new LoadBackupStep());
    steps.add(new TakeCheckpointStep(ends));
    steps.add(new SwitchDataStep());
    return steps;
  }

  /**
   * Runs the restore {@code job} under the app's turn. When part of the checkpoint is still to be
   * written after the switch, the turn goes to the thread that writes it.
   */
  private Restored run(RestoreJob job, Progress progress) throws IOException, BackupException {
    AppTurns.Turn turn = turns.take(job.app);
    RestoreJournal journal = new RestoreJournal(layout, job);
    try {
      Consumer<String> updateLog = streamLogs.to(job.app, StreamLogs.UPDATE);
      updateLog.accept(job.what);
      StepsRunner.run(
          "restore",
          steps(job.archive != null),
          job,
          Progress.journaled("restore", progress, updateLog),
          journal,
          updateLog);
      journal.ended();
      Checkpoints.Pending cp = job.checkpoint;
      log.info("{} of {}: done; the data before is checkpoint {}", job.what, job.app, cp.id());
      if (job.later.isEmpty()) {
        cp.finish();
        ends.prune(job.app);
      } else {
        List<Services.Bound> later = job.later;
        ends.finishInBackground(job.app, turn.handOn(), () -> ends.finish(job.app, cp, later));
      }
      return new Restored(
          cp.id(), job.manifest.facts(), new ArrayList<>(job.manifest.services().keySet()));
    } catch (StepFailedException e) {
      if (job.failure != null) {
        throw job.failure;
      }
      Exception cause = e.failure();
      if (cause instanceof IOException io) {
        throw io;
      } else if (cause instanceof BackupException b) {
        throw b;
      } else if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new BackupException(e.getMessage(), cause);
    } finally {
      turn.close();
    }
  }

  /**
   * Finishes, for every app in {@code apps}, what node stops cut short: a restore stopped during
   * its switch has its checkpoint put back now; the checkpoints left unfinished are written each on
   * a thread of its own. Backups, restores and checkpoints of an app wait for its own.
   */
  public void finishUnfinished(List<Target> apps) {
    for (Target t : apps) {
      try {
        recovery.recover(t);
      } catch (Exception e) {
        log.error("{}: cannot recover a restore a node stop cut short: {}", t.app(), e.toString());
        continue;
      }
      List<Checkpoints.Pending> left;
      try {
        left = checkpoints().unfinished(t.app());
      } catch (IOException | BackupException e) {
        log.error("{}: cannot read an unfinished checkpoint: {}", t.app(), e.getMessage());
        continue;
      }
      if (left.isEmpty()) {
        continue;
      }
      ends.finishInBackground(
          t.app(),
          turns.take(t.app()),
          () -> {
            List<Services.Bound> bound = t.services().bind();
            for (Checkpoints.Pending p : left) {
              log.info("{}: writing checkpoint {}, which a node stop interrupted", t.app(), p.id());
              ends.finish(t.app(), p, RestoreCheckpoints.servicesNamed(p.later(), bound));
            }
          });
    }
  }

  /**
   * Takes a scheduled backup of {@code app} and keeps the newest {@code keep}. Skipped (empty) when
   * a backup or restore of the app is running.
   */
  public Optional<Checkpoints.Checkpoint> takeScheduled(
      String app, String instance, List<Services.Bound> services, String schedule, int keep)
      throws IOException, BackupException {
    Optional<AppTurns.Turn> turn = turns.tryTake(app);
    if (turn.isEmpty()) {
      return Optional.empty();
    }
    try (AppTurns.Turn t = turn.get()) {
      Checkpoints.Checkpoint c =
          scheduled().take(app, services, "scheduled: " + schedule, facts(app, instance));
      scheduled().prune(app, keep);
      return Optional.of(c);
    }
  }

  /**
   * Takes a backup of {@code app} now, asked for by {@code who}, kept with its scheduled backups
   * (and pruned with them to the newest {@code keep}). Waits for a backup or restore of the app
   * that is running.
   */
  public Checkpoints.Checkpoint takeNow(
      String app, String instance, List<Services.Bound> services, String who, int keep)
      throws IOException, BackupException {
    try (AppTurns.Turn t = turns.take(app)) {
      Checkpoints.Checkpoint c =
          scheduled().take(app, services, "by hand: " + who, facts(app, instance));
      scheduled().prune(app, keep);
      return c;
    }
  }

  private Map<String, String> facts(String app, String instance) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("app", app);
    f.put("node", nodeName);
    if (instance != null) {
      f.put("instance", instance);
    }
    return f;
  }

  private Path uploads() throws IOException {
    return Files.createDirectories(layout.uploadsDir());
  }
}

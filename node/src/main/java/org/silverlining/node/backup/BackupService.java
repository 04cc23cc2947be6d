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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import org.silverlining.node.backupformat.Arrivals;
import org.silverlining.node.backupformat.BackgroundWork;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.layout.Trees;
import org.silverlining.node.service.Service.Staged;
import org.silverlining.node.service.ServiceException;
import org.silverlining.node.service.Services;
import org.silverlining.node.steps.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the node does with backups of an app's data: backs it up into an archive stream, restores an
 * archive received as a stream, restores a checkpoint or scheduled backup by id, and lists them.
 *
 * <p>A restore works in steps: receive (unpack the stream into a folder under {@code uploads/}),
 * verify (every checksum, and that the backup holds exactly the app's services), load (each service
 * {@linkplain org.silverlining.node.service.Service#stage stages} its restore beside the app's
 * data: PostgreSQL into a database of its own), checkpoint (a backup of the current data, see
 * {@link Checkpoints}), switch (each staged restore takes the place of the app's data). The
 * checkpoint of a service that keeps the data its switch replaces (PostgreSQL keeps the database)
 * is written from that data after the switch, on a thread of its own, and so holds every write up
 * to the switch; the other services' are taken beside the receive and the load. Before the switch
 * the checkpoint records on disk what it still needs, so that a node stopped before it is written
 * writes it when it starts ({@link #finishUnfinished}); the replaced data is dropped only once it
 * is. When the switch fails, the checkpoint is written and put back at once. One backup or restore
 * (or the end of a restore's checkpoint) runs at a time per app.
 */
public final class BackupService {
  private static final Logger log = LoggerFactory.getLogger(BackupService.class);

  private static final String SNAPSHOT_PREFIX = "backup-";
  private static final String RESTORE_PREFIX = "restore-";

  /** The reason every checkpoint a restore takes starts with. */
  static final String RESTORE_REASON = "before restore";

  /** How many of the checkpoints restores took are kept: the newest. */
  static final int KEEP_RESTORE_CHECKPOINTS = 5;

  private final NodeLayout layout;
  private final Checkpoints checkpoints;
  private final Checkpoints scheduled;
  private final String nodeName;
  private final Map<String, Semaphore> turns = new ConcurrentHashMap<>();

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

  public BackupService(NodeLayout layout, String nodeName) {
    this.layout = layout;
    this.checkpoints = new Checkpoints(layout);
    this.scheduled = Checkpoints.scheduled(layout);
    this.nodeName = nodeName;
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

  public Checkpoints checkpoints() {
    return checkpoints;
  }

  public Checkpoints scheduled() {
    return scheduled;
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
    try (Turn turn = turn(app)) {
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
    try (Turn turn = turn(app)) {
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
          millisSince(t1));
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
    return restore(
        app,
        instance,
        services,
        archive,
        "the uploaded backup",
        "restore of an uploaded backup",
        progress);
  }

  /**
   * As the one above, with {@code source} naming the archive in messages and {@code what} ({@code
   * restore of ...}) the restore in the checkpoint's reason.
   */
  private Restored restore(
      String app,
      String instance,
      List<Services.Bound> services,
      InputStream archive,
      String source,
      String what,
      Progress progress)
      throws IOException, BackupException {
    Path tmp = Files.createTempDirectory(uploads(), RESTORE_PREFIX);
    Turn turn = turn(app);
    EarlyCheckpoint early = null;
    Loading loading = null;
    try {
      finishUnfinished(app, services);
      // The checkpoint's parts that cannot wait for the switch only read the current data, so
      // they are taken while the upload arrives; the checkpoint is deleted again when the upload
      // turns out damaged or of other services.
      early = new EarlyCheckpoint(app, instance, services, what);
      Path dir = tmp.resolve("backup");
      // The services load what they can beside the app's data while the upload arrives
      // (PostgreSQL each table as its rows come), which touches nothing of the app's.
      Arrivals arrivals = Arrivals.expected();
      loading = new Loading(app, services, dir, arrivals);
      long t0 = progressStart(progress, "receive");
      BackupArchive.Contents contents;
      try {
        contents = BackupArchive.read(archive, dir, source, arrivals);
        arrivals.finished();
      } catch (BackupArchive.WriteFailed e) {
        arrivals.failed(e);
        throw new BackupException(
            "cannot store "
                + source
                + " on this machine ("
                + e.getMessage()
                + "); nothing was restored. Free disk space or repair "
                + layout.uploadsDir(),
            e);
      } catch (BackupException e) { // not a backup archive, or an entry that must not be there
        arrivals.failed(new IOException(e.getMessage(), e));
        throw new BackupException(e.getMessage() + "; nothing was restored", e);
      } catch (IOException e) {
        arrivals.failed(e);
        throw new BackupException(
            source
                + " is damaged or truncated ("
                + BackupArchive.reason(e)
                + "); nothing was restored",
            e);
      }
      if (contents.manifest() == null) {
        throw new BackupException(
            source
                + " is not a backup: it has no "
                + Manifest.FILE
                + " (make one with silver backup); nothing was restored");
      }
      progress.finished("receive", millisSince(t0), contents.sums().size() + " files");
      // The files were hashed as they arrived: no second pass over them.
      List<String> problems = Backup.verify(contents, source);
      return restoreFolder(app, services, dir, what, progress, early, problems, loading, turn);
    } catch (IOException | BackupException | RuntimeException e) {
      if (loading != null) {
        loading.discard();
      }
      if (early != null) {
        early.discardUnclaimed();
      }
      throw e;
    } finally {
      turn.close();
      Trees.delete(tmp);
    }
  }

  /** The services' restores staged on a thread of their own, while the backup arrives. */
  private static final class Loading {
    private final FutureTask<List<Staged>> task;
    private boolean taken;

    Loading(String app, List<Services.Bound> services, Path dir, Arrivals arrivals) {
      task = new FutureTask<>(() -> stage(services, dir, arrivals));
      Thread t = new Thread(task, "restore-load-" + app);
      t.setDaemon(true);
      t.start();
    }

    /** The staged restores, once all are; the caller now owns them. */
    List<Staged> get() throws IOException, BackupException {
      taken = true;
      return BackgroundWork.await(task, "the load");
    }

    /** Discards what was staged, once the load has stopped, unless the caller took it. */
    void discard() {
      if (taken) {
        return;
      }
      taken = true;
      try {
        BackgroundWork.await(task, "the load").forEach(Staged::discard);
      } catch (IOException | BackupException | RuntimeException e) {
        log.debug("a load for a restore that did not happen: {}", e.toString());
      }
    }
  }

  /** A restore stopped, before it changed anything, by a checkpoint that could not be written. */
  private BackupException checkpointFailed(String app, Exception e) {
    return new BackupException(
        "cannot write a checkpoint of the data before the restore ("
            + e.getMessage()
            + "); nothing was restored. Free disk space or repair "
            + layout.appCheckpoints(app),
        e);
  }

  /** Keeps the newest {@link #KEEP_RESTORE_CHECKPOINTS} checkpoints restores took. */
  private void pruneRestoreCheckpoints(String app) {
    try {
      checkpoints.prune(app, RESTORE_REASON, KEEP_RESTORE_CHECKPOINTS);
    } catch (IOException e) {
      log.warn("cannot prune the restore checkpoints of {}: {}", app, e.toString());
    }
  }

  /**
   * A restore's checkpoint, begun at the start: the services that do not keep the data their switch
   * replaces are backed up on a thread of its own, while the restore receives and loads.
   */
  private final class EarlyCheckpoint {
    private final String app;
    private final Checkpoints.Pending checkpoint;
    private final FutureTask<Void> task;
    private volatile boolean claimed;

    EarlyCheckpoint(String app, String instance, List<Services.Bound> services, String what)
        throws BackupException {
      this.app = app;
      try {
        checkpoint = checkpoints.begin(app, "before " + what, facts(app, instance));
      } catch (IOException e) {
        throw checkpointFailed(app, e);
      }
      List<Services.Bound> now =
          services.stream().filter(b -> !b.service().keepsReplaced()).toList();
      task =
          new FutureTask<>(
              () -> {
                for (Services.Bound b : now) {
                  checkpoint.write(b);
                }
                return null;
              });
      if (now.isEmpty()) {
        task.run();
      } else {
        Thread t = new Thread(task, "checkpoint-" + app);
        t.setDaemon(true);
        t.start();
      }
    }

    /** The checkpoint, once its early parts are written; the restore now owns it. */
    Checkpoints.Pending claim() throws BackupException {
      claimed = true;
      try {
        BackgroundWork.await(task, "the checkpoint");
      } catch (IOException | BackupException | RuntimeException e) {
        checkpoint.abandon();
        throw checkpointFailed(app, e);
      }
      return checkpoint;
    }

    /** Deletes the checkpoint when the restore stopped before it needed it. */
    void discardUnclaimed() {
      if (claimed) {
        return;
      }
      try {
        BackgroundWork.await(task, "the checkpoint");
      } catch (IOException | BackupException | RuntimeException e) {
        log.debug("a checkpoint for a restore that did not happen: {}", e.getMessage());
      }
      checkpoint.abandon();
    }
  }

  /**
   * Writes the parts of {@code checkpoint} still to come, services {@code later}, from the data the
   * restore replaced (else the data as it is), lists it, and then drops the replaced data.
   */
  private Checkpoints.Checkpoint finishCheckpoint(
      String app, Checkpoints.Pending checkpoint, List<Services.Bound> later)
      throws IOException, BackupException {
    long t0 = System.nanoTime();
    Checkpoints.Checkpoint c;
    try {
      for (Services.Bound b : later) {
        checkpoint.writeBefore(b);
      }
      c = checkpoint.finish();
    } catch (IOException | BackupException | RuntimeException e) {
      checkpoint.suspend();
      throw e;
    }
    for (Services.Bound b : later) {
      try {
        b.service().dropReplaced(b.scope());
      } catch (ServiceException e) {
        log.warn("{}: {}; the next restore drops it", app, Backup.failed(b, e).getMessage());
      }
    }
    log.info(
        "checkpoint {} of {}: {} written from the data the restore replaced in {} ms",
        c.id(),
        app,
        names(later),
        millisSince(t0));
    pruneRestoreCheckpoints(app);
    return c;
  }

  /**
   * Finishes, under the app's turn, which the caller holds, the checkpoints a node stopped before
   * writing or whose writing failed. Fails when one cannot be written: the data it holds is kept
   * until it is, and whatever comes next could replace it.
   */
  private void finishUnfinished(String app, List<Services.Bound> services)
      throws IOException, BackupException {
    checkpoints.awaitFinishing(app); // its failure leaves it unfinished on disk, tried again here
    for (Checkpoints.Pending p : checkpoints.unfinished(app)) {
      try {
        finishCheckpoint(app, p, servicesNamed(p.later(), services));
      } catch (IOException | BackupException | RuntimeException e) {
        throw new BackupException(
            "checkpoint "
                + p.id()
                + " of the data before an earlier restore is not written ("
                + e.getMessage()
                + "); the data is kept until it is. Fix the cause and try again",
            e);
      }
    }
  }

  /**
   * Finishes, each on a thread of its own, the checkpoints a stopped node left unfinished, for
   * every app in {@code apps}. Backups, restores and checkpoints of an app wait for its own.
   */
  public void finishUnfinished(List<Target> apps) {
    for (Target t : apps) {
      List<Checkpoints.Pending> left;
      try {
        left = checkpoints.unfinished(t.app());
      } catch (IOException | BackupException e) {
        log.error("{}: cannot read an unfinished checkpoint: {}", t.app(), e.getMessage());
        continue;
      }
      if (left.isEmpty()) {
        continue;
      }
      finishInBackground(
          t.app(),
          turn(t.app()),
          () -> {
            List<Services.Bound> bound = t.services().bind();
            for (Checkpoints.Pending p : left) {
              log.info("{}: writing checkpoint {}, which a node stop interrupted", t.app(), p.id());
              finishCheckpoint(t.app(), p, servicesNamed(p.later(), bound));
            }
          });
    }
  }

  /** Work that ends checkpoints. */
  @FunctionalInterface
  private interface CheckpointWork {
    void run() throws Exception;
  }

  /**
   * Runs {@code work} on a thread of its own, which holds the app's {@code turn} until it is done;
   * the app's checkpoints wait for it ({@link Checkpoints#finishing}).
   */
  private void finishInBackground(String app, Turn turn, CheckpointWork work) {
    FutureTask<Void> task =
        new FutureTask<>(
            () -> {
              try (turn) {
                work.run();
                return null;
              } catch (Exception e) {
                log.error("{}: a checkpoint cannot be written: {}", app, e.toString());
                throw e;
              }
            });
    checkpoints.finishing(app, task);
    Thread t = new Thread(task, "checkpoint-" + app);
    t.setDaemon(false); // a short-lived process (restore --devel) waits for it
    t.start();
  }

  /** The services of {@code services} named {@code names}; fails when one is missing. */
  private static List<Services.Bound> servicesNamed(
      List<String> names, List<Services.Bound> services) throws BackupException {
    List<Services.Bound> out = new ArrayList<>();
    for (String name : names) {
      out.add(
          services.stream()
              .filter(b -> b.service().name().equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new BackupException(
                          "service." + name + " is no longer among the app's services")));
    }
    return out;
  }

  private static String names(List<Services.Bound> services) {
    return String.join(", ", services.stream().map(b -> b.service().name()).toList());
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
    return restoreFolder(
        app, instance, services, c.get().dir(), "restore of checkpoint " + id, progress);
  }

  /** The checkpoint, or else the scheduled backup, of {@code app} with id {@code id}. */
  public Optional<Checkpoints.Checkpoint> find(String app, String id) throws IOException {
    Optional<Checkpoints.Checkpoint> c = checkpoints.find(app, id);
    return c.isPresent() ? c : scheduled.find(app, id);
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
    if (Files.isDirectory(backup)) {
      r = restoreFolder(app, null, services, backup, "restore of " + backup, progress);
    } else {
      try (InputStream in = Files.newInputStream(backup)) {
        r = restore(app, null, services, in, backup.toString(), "restore of " + backup, progress);
      }
    }
    Optional<Exception> failed = checkpoints.awaitFinishing(app);
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

  private Restored restoreFolder(
      String app,
      String instance,
      List<Services.Bound> services,
      Path dir,
      String what,
      Progress progress)
      throws IOException, BackupException {
    Turn turn = turn(app);
    EarlyCheckpoint early = null;
    Loading loading = null;
    try {
      finishUnfinished(app, services);
      early = new EarlyCheckpoint(app, instance, services, what);
      loading = new Loading(app, services, dir, Arrivals.of(dir));
      return restoreFolder(app, services, dir, what, progress, early, null, loading, turn);
    } catch (IOException | BackupException | RuntimeException e) {
      if (loading != null) {
        loading.discard();
      }
      if (early != null) {
        early.discardUnclaimed();
      }
      throw e;
    } finally {
      turn.close();
    }
  }

  /**
   * The steps after receive, under the app's {@code turn}, which the caller holds and closes:
   * verify (unless {@code knownProblems} says already), wait for {@code loading}, the checkpoint,
   * switch. When part of the checkpoint is still to be written after the switch, the turn goes to
   * the thread that writes it.
   */
  private Restored restoreFolder(
      String app,
      List<Services.Bound> services,
      Path dir,
      String what,
      Progress progress,
      EarlyCheckpoint early,
      List<String> knownProblems,
      Loading loading,
      Turn turn)
      throws IOException, BackupException {
    long t0 = progressStart(progress, "verify");
    List<String> problems = knownProblems != null ? knownProblems : Backup.verify(dir);
    if (!problems.isEmpty()) {
      throw new BackupException(
          "the backup is damaged; nothing was restored:\n  " + String.join("\n  ", problems));
    }
    Manifest m = Manifest.read(dir);
    List<String> diff = Backup.serviceDifferences(m, services);
    if (!diff.isEmpty()) {
      throw new BackupException(
          "the backup's services differ from the app's; nothing was restored:\n  "
              + String.join("\n  ", diff));
    }
    progress.finished("verify", millisSince(t0), m.files().size() + " checksums match");

    // Loading beside the app's data touches none of it: it runs while the checkpoint is taken.
    t0 = progressStart(progress, "load");
    List<Staged> staged = loading.get();
    List<String> names = new ArrayList<>(m.services().keySet());
    progress.finished("load", millisSince(t0), String.join(", ", names));

    // The services that keep what their switch replaces are written into the checkpoint after it;
    // the checkpoint says so on disk first, for a node that stops in between.
    List<Services.Bound> later =
        services.stream().filter(b -> b.service().keepsReplaced()).toList();
    Checkpoints.Pending cp;
    try {
      t0 = progressStart(progress, "checkpoint");
      cp = early.claim();
      try {
        cp.awaiting(later.stream().map(b -> b.service().name()).toList());
      } catch (IOException | RuntimeException e) {
        cp.abandon();
        throw e;
      }
      progress.finished(
          "checkpoint",
          millisSince(t0),
          cp.id() + (later.isEmpty() ? "" : " (" + names(later) + ": after the switch)"));
    } catch (IOException | BackupException | RuntimeException e) {
      staged.forEach(Staged::discard);
      throw e;
    }

    t0 = progressStart(progress, "switch");
    for (int i = 0; i < staged.size(); i++) {
      try {
        staged.get(i).commit();
      } catch (ServiceException | RuntimeException e) {
        staged.subList(i, staged.size()).forEach(Staged::discard);
        throw rolledBack(app, services, cp, later, Backup.failed(services.get(i), e));
      }
    }
    progress.finished("switch", millisSince(t0), "the restored data is in place");
    log.info("{} of {}: done; the data before is checkpoint {}", what, app, cp.id());
    if (later.isEmpty()) {
      cp.finish();
      pruneRestoreCheckpoints(app);
    } else {
      finishInBackground(app, turn.handOn(), () -> finishCheckpoint(app, cp, later));
    }
    return new Restored(cp.id(), m.facts(), names);
  }

  /** The services' restores of {@code dir}, staged; none when one fails, which is thrown. */
  private static List<Staged> stage(List<Services.Bound> services, Path dir, Arrivals files)
      throws BackupException {
    List<Staged> staged = new ArrayList<>();
    for (Services.Bound b : services) {
      try {
        staged.add(b.service().stage(b.scope(), dir.resolve(b.service().name()), files));
      } catch (ServiceException | RuntimeException e) {
        staged.forEach(Staged::discard);
        BackupException failed = Backup.failed(b, e);
        throw new BackupException(
            "the restore failed (" + failed.getMessage() + "); the app's data was not touched",
            failed);
      }
    }
    return staged;
  }

  /**
   * Writes the rest of checkpoint {@code cp} and puts it back after a failed switch; the message
   * says how it went.
   */
  private BackupException rolledBack(
      String app,
      List<Services.Bound> services,
      Checkpoints.Pending pending,
      List<Services.Bound> later,
      Exception cause) {
    Checkpoints.Checkpoint cp;
    try {
      cp = finishCheckpoint(app, pending, later);
    } catch (IOException | BackupException | RuntimeException e) {
      log.error("{}: checkpoint {} cannot be written", app, pending.id(), e);
      return new BackupException(
          "the restore failed ("
              + cause.getMessage()
              + ") and the checkpoint of the data before cannot be written ("
              + e.getMessage()
              + "); that data is kept until the next restore writes it",
          cause);
    }
    try {
      checkpoints.restore(cp, services);
      return new BackupException(
          "the restore failed ("
              + cause.getMessage()
              + "); the data as it was before is back (checkpoint "
              + cp.id()
              + ")",
          cause);
    } catch (IOException | BackupException | RuntimeException e) {
      log.error("{}: putting back checkpoint {} failed too", app, cp.id(), e);
      return new BackupException(
          "the restore failed ("
              + cause.getMessage()
              + ") and putting back the data as it was failed too ("
              + e.getMessage()
              + "); the data before is kept as checkpoint "
              + cp.id(),
          cause);
    }
  }

  /** Checkpoints and scheduled backups of {@code app}, newest first, as the API shows them. */
  public List<Map<String, Object>> list(String app) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Checkpoints.Checkpoint c : checkpoints.list(app)) {
      out.add(describe("checkpoint", c));
    }
    for (Checkpoints.Checkpoint c : scheduled.list(app)) {
      out.add(describe("scheduled", c));
    }
    out.sort(
        (a, b) -> String.valueOf(b.get("created")).compareTo(String.valueOf(a.get("created"))));
    return out;
  }

  private static Map<String, Object> describe(String kind, Checkpoints.Checkpoint c)
      throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", c.id());
    m.put("kind", kind);
    m.put("created", c.manifest().facts().getOrDefault("created", ""));
    m.put("reason", c.reason());
    m.put("services", List.copyOf(c.manifest().services().keySet()));
    m.put("bytes", sizeOf(c.dir()));
    return m;
  }

  private static long sizeOf(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /**
   * Takes a scheduled backup of {@code app} and keeps the newest {@code keep}. Skipped (empty) when
   * a backup or restore of the app is running.
   */
  public Optional<Checkpoints.Checkpoint> takeScheduled(
      String app, String instance, List<Services.Bound> services, String schedule, int keep)
      throws IOException, BackupException {
    Semaphore s = turns.computeIfAbsent(app, a -> new Semaphore(1));
    if (!s.tryAcquire()) {
      return Optional.empty();
    }
    try (Turn turn = new Turn(s)) {
      Checkpoints.Checkpoint c =
          scheduled.take(app, services, "scheduled: " + schedule, facts(app, instance));
      scheduled.prune(app, keep);
      return Optional.of(c);
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

  /** The app's turn to back up or restore, once the one before has ended. */
  private Turn turn(String app) {
    Semaphore s = turns.computeIfAbsent(app, a -> new Semaphore(1));
    s.acquireUninterruptibly();
    return new Turn(s);
  }

  /**
   * The one turn at a time an app has to back up or restore: closed by the thread that took it, or
   * {@linkplain #handOn handed on} to another that closes it.
   */
  private static final class Turn implements AutoCloseable {
    private final Semaphore semaphore;
    private boolean over;

    Turn(Semaphore semaphore) {
      this.semaphore = semaphore;
    }

    /** The turn, for another thread to close; closing this one does nothing any more. */
    Turn handOn() {
      over = true;
      return new Turn(semaphore);
    }

    @Override
    public void close() {
      if (!over) {
        over = true;
        semaphore.release();
      }
    }
  }

  private Path uploads() throws IOException {
    return Files.createDirectories(layout.uploadsDir());
  }

  private static long progressStart(Progress progress, String stage) {
    progress.started(stage);
    return System.nanoTime();
  }

  private static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}

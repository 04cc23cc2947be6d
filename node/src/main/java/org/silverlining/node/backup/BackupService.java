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
import java.util.concurrent.locks.ReentrantLock;
import org.silverlining.node.NodeLayout;
import org.silverlining.node.deploy.Progress;
import org.silverlining.node.service.Service.Staged;
import org.silverlining.node.service.ServiceException;
import org.silverlining.node.service.Services;
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
 * {@link Checkpoints}, taken on a thread of its own from the start), switch (each staged restore
 * takes the place of the app's data). Nothing is touched before the checkpoint exists; when the
 * switch fails, the checkpoint is put back at once. One backup or restore runs at a time per app.
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
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

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
          Backup.deleteTree(p);
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
        Backup.deleteTree(dir.getParent());
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
    ReentrantLock lock = lockOf(app);
    lock.lock();
    try {
      Manifest m = Backup.write(services, tmp.resolve("backup"), facts(app, instance));
      return new Snapshot(tmp.resolve("backup"), m);
    } catch (IOException | BackupException | RuntimeException e) {
      Backup.deleteTree(tmp);
      throw e;
    } finally {
      lock.unlock();
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
    ReentrantLock lock = lockOf(app);
    lock.lock();
    try {
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
      lock.unlock();
      Backup.deleteTree(tmp);
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
    Path tmp = Files.createTempDirectory(uploads(), RESTORE_PREFIX);
    String what = "restore of an uploaded backup";
    ReentrantLock lock = lockOf(app);
    lock.lock();
    // The checkpoint only reads the current data, so it is taken while the upload arrives; it is
    // deleted again when the upload turns out damaged or of other services.
    EarlyCheckpoint early = new EarlyCheckpoint(app, instance, services, what);
    Path dir = tmp.resolve("backup");
    // The services load what they can beside the app's data while the upload arrives (PostgreSQL
    // each table as its rows come), which touches nothing of the app's.
    Arrivals arrivals = Arrivals.expected();
    Loading loading = new Loading(app, services, dir, arrivals);
    try {
      long t0 = progressStart(progress, "receive");
      BackupArchive.Contents contents;
      try {
        contents = BackupArchive.read(archive, dir, "the uploaded backup", arrivals);
        arrivals.finished();
      } catch (IOException | BackupException e) {
        arrivals.failed(new IOException(e.getMessage(), e));
        throw new BackupException(
            "the uploaded backup is damaged or truncated ("
                + e.getMessage()
                + "); nothing was restored",
            e);
      }
      progress.finished("receive", millisSince(t0), Manifest.read(dir).files().size() + " files");
      // The files were hashed as they arrived: no second pass over them.
      List<String> problems = Backup.verify(contents, "the uploaded backup");
      return restoreFolder(app, services, dir, what, progress, early::claim, problems, loading);
    } catch (IOException | BackupException | RuntimeException e) {
      loading.discard();
      early.discardUnclaimed();
      throw e;
    } finally {
      lock.unlock();
      Backup.deleteTree(tmp);
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

  /** Where a restore gets the checkpoint of the data it replaces. */
  @FunctionalInterface
  private interface CheckpointSource {
    Checkpoints.Checkpoint get() throws IOException, BackupException;
  }

  /** Keeps the newest {@link #KEEP_RESTORE_CHECKPOINTS} checkpoints restores took. */
  private void pruneRestoreCheckpoints(String app) {
    try {
      checkpoints.prune(app, RESTORE_REASON, KEEP_RESTORE_CHECKPOINTS);
    } catch (IOException e) {
      log.warn("cannot prune the restore checkpoints of {}: {}", app, e.toString());
    }
  }

  /** A checkpoint taken on a thread of its own while a restore receives its upload. */
  private final class EarlyCheckpoint {
    private final FutureTask<Checkpoints.Checkpoint> task;
    private volatile boolean claimed;

    EarlyCheckpoint(String app, String instance, List<Services.Bound> services, String what) {
      task =
          new FutureTask<>(
              () -> checkpoints.take(app, services, "before " + what, facts(app, instance)));
      Thread t = new Thread(task, "checkpoint-" + app);
      t.setDaemon(true);
      t.start();
    }

    /** The checkpoint, once taken; the restore now owns it. */
    Checkpoints.Checkpoint claim() throws IOException, BackupException {
      claimed = true;
      return get();
    }

    private Checkpoints.Checkpoint get() throws IOException, BackupException {
      return BackgroundWork.await(task, "the checkpoint");
    }

    /** Deletes the checkpoint when the restore stopped before it needed it. */
    void discardUnclaimed() {
      if (claimed) {
        return;
      }
      try {
        checkpoints.delete(get());
      } catch (IOException | BackupException e) {
        log.warn("a checkpoint taken for a restore that did not happen: {}", e.getMessage());
      }
    }
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
   * {@code backup}, in the steps the class describes ({@code what} names it in the checkpoint).
   */
  public Restored restoreFrom(
      String app, List<Services.Bound> services, Path backup, Progress progress)
      throws IOException, BackupException {
    if (Files.isDirectory(backup)) {
      return restoreFolder(app, null, services, backup, "restore of " + backup, progress);
    }
    try (InputStream in = Files.newInputStream(backup)) {
      return restore(app, null, services, in, progress);
    }
  }

  private Restored restoreFolder(
      String app,
      String instance,
      List<Services.Bound> services,
      Path dir,
      String what,
      Progress progress)
      throws IOException, BackupException {
    ReentrantLock lock = lockOf(app);
    lock.lock();
    EarlyCheckpoint early = new EarlyCheckpoint(app, instance, services, what);
    Loading loading = new Loading(app, services, dir, Arrivals.of(dir));
    try {
      return restoreFolder(app, services, dir, what, progress, early::claim, null, loading);
    } catch (IOException | BackupException | RuntimeException e) {
      loading.discard();
      early.discardUnclaimed();
      throw e;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The steps after receive, under the app's lock, which the caller holds: verify (unless {@code
   * knownProblems} says already), wait for {@code loading}, the checkpoint, switch.
   */
  private Restored restoreFolder(
      String app,
      List<Services.Bound> services,
      Path dir,
      String what,
      Progress progress,
      CheckpointSource checkpoint,
      List<String> knownProblems,
      Loading loading)
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

    Checkpoints.Checkpoint cp;
    try {
      t0 = progressStart(progress, "checkpoint");
      cp = checkpoint.get();
      progress.finished("checkpoint", millisSince(t0), cp.id());
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
        throw rolledBack(app, services, cp, Backup.failed(services.get(i), e));
      }
    }
    progress.finished("switch", millisSince(t0), "the restored data is in place");
    log.info("{} of {}: done; the data before is checkpoint {}", what, app, cp.id());
    pruneRestoreCheckpoints(app);
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

  /** Puts checkpoint {@code cp} back after a failed restore; the message says how it went. */
  private BackupException rolledBack(
      String app, List<Services.Bound> services, Checkpoints.Checkpoint cp, Exception cause) {
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
    ReentrantLock lock = lockOf(app);
    if (!lock.tryLock()) {
      return Optional.empty();
    }
    try {
      Checkpoints.Checkpoint c =
          scheduled.take(app, services, "scheduled: " + schedule, facts(app, instance));
      scheduled.prune(app, keep);
      return Optional.of(c);
    } finally {
      lock.unlock();
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

  private ReentrantLock lockOf(String app) {
    return locks.computeIfAbsent(app, a -> new ReentrantLock());
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

package org.silverlining.node.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.layout.Trees;
import org.silverlining.node.service.Services;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of apps' data on this node: backups (docs/backup-format.md) kept as plain folders
 * under {@code backups/APP/checkpoints/ID/}, taken before anything replaces the data (an update, a
 * restore) so that it can be put back. A checkpoint is written under a temporary name and renamed
 * when complete, so a listed checkpoint is always whole.
 */
public final class Checkpoints {
  private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final Pattern ID = Pattern.compile("[0-9]{8}-[0-9]{6}(-[0-9]+)?");
  private static final String PARTIAL = ".partial-";
  private static final String UNFINISHED = "unfinished.json";

  /** Checkpoints being written in this process, which {@link #list} must not take for leftovers. */
  private static final Set<Path> WRITING = ConcurrentHashMap.newKeySet();

  /** Checkpoints being finished on other threads, by the folder of their app's checkpoints. */
  private static final Map<Path, Future<?>> FINISHING = new ConcurrentHashMap<>();

  private final Function<String, Path> folderOf;

  /** One checkpoint: its id (a UTC time stamp, unique per app), folder and manifest. */
  public record Checkpoint(String app, String id, Path dir, Manifest manifest) {
    /** Why it was taken, from the manifest's {@code reason} fact. */
    public String reason() {
      return manifest.facts().getOrDefault("reason", "");
    }
  }

  public Checkpoints(NodeLayout layout) {
    this(layout::appCheckpoints);
  }

  private Checkpoints(Function<String, Path> folderOf) {
    this.folderOf = folderOf;
  }

  /**
   * The scheduled backups of apps ({@code backups/APP/scheduled/ID/}): kept, listed and restored
   * like checkpoints, in their own folder, so that pruning one kind never removes the other.
   */
  public static Checkpoints scheduled(NodeLayout layout) {
    return new Checkpoints(layout::appScheduledBackups);
  }

  /**
   * Backs up {@code services} of {@code app} as a new checkpoint. {@code reason} ("before update to
   * APP.20261126_002") and {@code facts} go into its manifest. Nothing is listed unless the backup
   * completes. Waits for a checkpoint of the app being {@linkplain #finishing finished} first, and
   * fails when that failed: its data is kept outside the checkpoints until it is written.
   */
  public Checkpoint take(
      String app, List<Services.Bound> services, String reason, Map<String, String> facts)
      throws IOException, BackupException {
    Optional<Exception> failed = awaitFinishing(app);
    if (failed.isPresent() || hasUnfinished(app)) {
      throw new BackupException(
          "the checkpoint of "
              + app
              + "'s data before its last restore is not written yet ("
              + failed.map(Exception::getMessage).orElse("a node stop interrupted it")
              + "); that data is kept until it is. Fix the cause; the node writes it when it"
              + " starts or the app is restored again",
          failed.orElse(null));
    }
    Pending p = begin(app, reason, facts);
    try {
      for (Services.Bound b : services) {
        p.write(b);
      }
      return p.finish();
    } catch (IOException | BackupException | RuntimeException e) {
      p.abandon();
      throw e;
    }
  }

  /**
   * Starts a new checkpoint of {@code app}, to be written service by service ({@link Pending}).
   * {@code reason} and {@code facts} go into its manifest, with the time it started as {@code
   * created}.
   */
  public Pending begin(String app, String reason, Map<String, String> facts) throws IOException {
    Path dir = folderOf.apply(app);
    Files.createDirectories(dir);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String id;
    Path partial;
    synchronized (WRITING) {
      // Two checkpoints of one app in one second get different ids, the later one the higher
      // counter, even when an earlier one of that second was pruned since.
      String stamp = STAMP.format(now);
      int highest = 0;
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : s.toList()) {
          String name = p.getFileName().toString();
          name = name.startsWith(PARTIAL) ? name.substring(PARTIAL.length()) : name;
          if (name.startsWith(stamp) && ID.matcher(name).matches()) {
            highest = Math.max(highest, counter(name));
          }
        }
      }
      for (Path p : WRITING) {
        String name = p.getFileName().toString().substring(PARTIAL.length());
        if (p.getParent().equals(dir) && name.startsWith(stamp)) {
          highest = Math.max(highest, counter(name));
        }
      }
      id = highest == 0 ? stamp : stamp + "-" + (highest + 1);
      partial = dir.resolve(PARTIAL + id);
      WRITING.add(partial);
    }
    try {
      Trees.delete(partial);
      Files.createDirectories(partial);
    } catch (IOException | RuntimeException e) {
      WRITING.remove(partial);
      throw e;
    }
    Map<String, String> all = new TreeMap<>(facts);
    all.put("app", app);
    all.put("reason", reason);
    all.put("created", now.toString());
    return new Pending(app, id, partial, all, new BackupParts(partial));
  }

  /**
   * A checkpoint being written, one service at a time: listed once {@link #finish}ed. Part of it
   * may be written after a restore replaced the data ({@link #writeBefore}); it then says on disk,
   * before the restore's switch, which parts are still to come ({@link #awaiting}), so that a node
   * stopped in between finishes it when it starts ({@link #unfinished}).
   */
  public final class Pending {
    private final String app;
    private final String id;
    private final Path dir;
    private final Map<String, String> facts;
    private final BackupParts parts;

    private Pending(String app, String id, Path dir, Map<String, String> facts, BackupParts parts) {
      this.app = app;
      this.id = id;
      this.dir = dir;
      this.facts = facts;
      this.parts = parts;
    }

    public String id() {
      return id;
    }

    /** Backs up service {@code b}'s data as it is now into the checkpoint. */
    public void write(Services.Bound b) throws IOException, BackupException {
      parts.add(b, (x, folder) -> x.service().backup(x.scope(), folder), null);
    }

    /**
     * Backs up into the checkpoint the data of service {@code b} that a restore replaced and kept
     * ({@link org.silverlining.node.service.Service#backupReplaced}), or else its data as it is.
     */
    public void writeBefore(Services.Bound b) throws IOException, BackupException {
      parts.add(
          b,
          (x, folder) -> {
            Optional<String> server = x.service().backupReplaced(x.scope(), folder);
            return server.isPresent() ? server.get() : x.service().backup(x.scope(), folder);
          },
          null);
    }

    /** Records on disk that services {@code later} are still to be written, by writeBefore. */
    public void awaiting(List<String> later) throws IOException {
      parts.manifest(facts).writeUnfinished(dir.resolve(UNFINISHED), later);
    }

    /** The services {@link #awaiting} recorded, when the checkpoint was {@link #unfinished}. */
    public List<String> later() throws IOException, BackupException {
      Path f = dir.resolve(UNFINISHED);
      return Files.exists(f) ? Manifest.readUnfinished(f).later() : List.of();
    }

    /** Writes the manifest of the parts written and lists the checkpoint. */
    public Checkpoint finish() throws IOException {
      Manifest m = parts.finish(facts);
      Files.deleteIfExists(dir.resolve(UNFINISHED));
      Path done = dir.resolveSibling(id);
      Files.move(dir, done);
      WRITING.remove(dir);
      return new Checkpoint(app, id, done, m);
    }

    /**
     * Leaves what was written, once {@link #awaiting} has said what is still to come, for a later
     * try ({@link Checkpoints#unfinished}).
     */
    public void suspend() {
      WRITING.remove(dir);
    }

    /** Deletes what was written. */
    public void abandon() {
      try {
        Trees.delete(dir);
      } catch (IOException e) {
        // list() removes it once nobody writes it
      } finally {
        WRITING.remove(dir);
      }
    }
  }

  /**
   * The checkpoints of {@code app} that a node stopped before {@linkplain Pending#finish
   * finishing}, after it said what was still to come ({@link Pending#awaiting}), oldest first. Each
   * is the caller's to finish from now on.
   */
  public List<Pending> unfinished(String app) throws IOException, BackupException {
    List<Pending> out = new ArrayList<>();
    for (Path p : unfinishedFolders(app)) {
      Manifest sofar = Manifest.readUnfinished(p.resolve(UNFINISHED)).sofar();
      WRITING.add(p);
      String id = p.getFileName().toString().substring(PARTIAL.length());
      out.add(new Pending(app, id, p, sofar.facts(), BackupParts.resume(p, sofar)));
    }
    return out;
  }

  private boolean hasUnfinished(String app) throws IOException {
    return !unfinishedFolders(app).isEmpty();
  }

  /** The folders of unfinished checkpoints of {@code app} that nobody writes, oldest first. */
  private List<Path> unfinishedFolders(String app) throws IOException {
    Path dir = folderOf.apply(app);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(
              p ->
                  p.getFileName().toString().startsWith(PARTIAL)
                      && !WRITING.contains(p)
                      && Files.exists(p.resolve(UNFINISHED)))
          .sorted()
          .toList();
    }
  }

  /**
   * Has {@link #take}, {@link #list} and {@link #find} for {@code app} wait for {@code task}, which
   * finishes one of its checkpoints on another thread.
   */
  public void finishing(String app, Future<?> task) {
    FINISHING.put(folderOf.apply(app), task);
  }

  /**
   * Waits for the checkpoint of {@code app} being {@linkplain #finishing finished}: its failure.
   */
  public Optional<Exception> awaitFinishing(String app) {
    Future<?> task = FINISHING.get(folderOf.apply(app));
    if (task == null) {
      return Optional.empty();
    }
    try {
      task.get();
      FINISHING.remove(folderOf.apply(app), task);
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(e);
    } catch (ExecutionException e) {
      return Optional.of(e.getCause() instanceof Exception c ? c : e);
    }
  }

  /** The app's checkpoints, newest first. Leftovers of interrupted checkpoints are removed. */
  public List<Checkpoint> list(String app) throws IOException {
    awaitFinishing(app).ifPresent(e -> log.warn("a checkpoint of {}: {}", app, e.getMessage()));
    return listed(app);
  }

  /** As {@link #list}, without waiting for a checkpoint being finished. */
  private List<Checkpoint> listed(String app) throws IOException {
    Path dir = folderOf.apply(app);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Checkpoint> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith(PARTIAL)) {
          if (!WRITING.contains(p) && !Files.exists(p.resolve(UNFINISHED))) {
            Trees.delete(p);
          }
        } else if (ID.matcher(name).matches()) {
          try {
            out.add(new Checkpoint(app, name, p, Manifest.read(p)));
          } catch (BackupException | IOException e) {
            // A damaged checkpoint is not offered for restore; it stays on disk for inspection.
          }
        }
      }
    }
    out.sort(Comparator.comparing(Checkpoint::id, Checkpoints::compareIds).reversed());
    return out;
  }

  /** The checkpoint {@code id} of {@code app}. */
  public Optional<Checkpoint> find(String app, String id) throws IOException {
    return list(app).stream().filter(c -> c.id().equals(id)).findFirst();
  }

  /** Puts the checkpoint's data back into {@code services}, after checking it ({@link Backup}). */
  public Manifest restore(Checkpoint c, List<Services.Bound> services)
      throws IOException, BackupException {
    return Backup.restore(c.dir(), services);
  }

  /** Deletes one checkpoint. */
  public void delete(Checkpoint c) throws IOException {
    Trees.delete(c.dir());
  }

  /** Keeps the newest {@code keep} checkpoints of {@code app} and deletes the rest. */
  public List<Checkpoint> prune(String app, int keep) throws IOException {
    List<Checkpoint> all = listed(app);
    List<Checkpoint> gone = all.subList(Math.min(keep, all.size()), all.size());
    for (Checkpoint c : gone) {
      delete(c);
    }
    return List.copyOf(gone);
  }

  /**
   * Keeps the newest {@code keep} checkpoints of {@code app} whose reason starts with {@code
   * reason} ("before update to ", "before restore") and deletes the older ones of that kind;
   * returns those deleted. Checkpoints of other kinds are left alone.
   */
  public List<Checkpoint> prune(String app, String reason, int keep) throws IOException {
    List<Checkpoint> gone = new java.util.ArrayList<>();
    int kept = 0;
    for (Checkpoint c : listed(app)) { // newest first
      if (!c.reason().startsWith(reason)) {
        continue;
      }
      if (kept < keep) {
        kept++;
      } else {
        delete(c);
        gone.add(c);
      }
    }
    return gone;
  }

  /** Orders ids by time, then by the counter of ids taken in the same second. */
  private static int compareIds(String a, String b) {
    int c = a.substring(0, 15).compareTo(b.substring(0, 15));
    return c != 0 ? c : Integer.compare(counter(a), counter(b));
  }

  private static int counter(String id) {
    return id.length() > 15 ? Integer.parseInt(id.substring(16)) : 1;
  }
}

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
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.silverlining.node.NodeLayout;
import org.silverlining.node.service.Services;

/**
 * The checkpoints of apps' data on this node: backups (docs/backup-format.md) kept as plain folders
 * under {@code backups/APP/checkpoints/ID/}, taken before anything replaces the data (an update, a
 * restore) so that it can be put back. A checkpoint is written under a temporary name and renamed
 * when complete, so a listed checkpoint is always whole.
 */
public final class Checkpoints {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final Pattern ID = Pattern.compile("[0-9]{8}-[0-9]{6}(-[0-9]+)?");
  private static final String PARTIAL = ".partial-";

  /** Checkpoints being written in this process, which {@link #list} must not take for leftovers. */
  private static final Set<Path> WRITING = ConcurrentHashMap.newKeySet();

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
   * completes.
   */
  public Checkpoint take(
      String app, List<Services.Bound> services, String reason, Map<String, String> facts)
      throws IOException, BackupException {
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
      Backup.deleteTree(partial);
      Map<String, String> all = new TreeMap<>(facts);
      all.put("app", app);
      all.put("reason", reason);
      all.put("created", now.toString());
      Manifest m = Backup.write(services, partial, all);
      Path done = dir.resolve(id);
      Files.move(partial, done);
      return new Checkpoint(app, id, done, m);
    } finally {
      WRITING.remove(partial);
    }
  }

  /** The app's checkpoints, newest first. Leftovers of interrupted checkpoints are removed. */
  public List<Checkpoint> list(String app) throws IOException {
    Path dir = folderOf.apply(app);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Checkpoint> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith(PARTIAL)) {
          if (!WRITING.contains(p)) {
            Backup.deleteTree(p);
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
    Backup.deleteTree(c.dir());
  }

  /** Keeps the newest {@code keep} checkpoints of {@code app} and deletes the rest. */
  public List<Checkpoint> prune(String app, int keep) throws IOException {
    List<Checkpoint> all = list(app);
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
    for (Checkpoint c : list(app)) { // newest first
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

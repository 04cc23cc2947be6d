package org.silverlining.node.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.backupformat.HashedFiles;
import org.silverlining.node.layout.Trees;
import org.silverlining.node.service.ServiceException;
import org.silverlining.node.service.Services;

/**
 * Writes, checks and restores a backup of an app's services (docs/backup-format.md): a folder with
 * one sub-folder per service, named after the service, and {@code manifest.json}; or the same
 * folder as a {@code .tar.gz}.
 *
 * <p>Every file's sha256 is in the manifest. {@link #restore} unpacks an archive into a temporary
 * folder and checks every checksum and the list of services before it touches any service, so a
 * truncated or altered backup, or one of another set of services, changes nothing.
 */
public final class Backup {
  private Backup() {}

  /**
   * Backs up {@code services} into {@code target}: a folder that must not exist yet, or a file
   * ending in {@code .tar.gz}. {@code facts} ({@code app}, {@code instance}, {@code node}, ...) go
   * into the manifest only; {@code created} defaults to now. Returns the manifest.
   */
  public static Manifest write(
      List<Services.Bound> services, Path target, Map<String, String> facts)
      throws IOException, BackupException {
    return write(services, target, facts, null);
  }

  /**
   * As {@link #write(List, Path, Map)}, handing the bytes of the data files to {@code live} (if not
   * null) as they are written.
   */
  static Manifest write(
      List<Services.Bound> services, Path target, Map<String, String> facts, HashedFiles.Live live)
      throws IOException, BackupException {
    if (Files.exists(target)) {
      throw new BackupException(target + " exists already; give a new folder or file name");
    }
    boolean archive = BackupArchive.isArchive(target);
    Path dir =
        archive
            ? Files.createTempDirectory(target.toAbsolutePath().getParent(), ".silver-backup-")
            : Files.createDirectories(target);
    try {
      BackupParts parts = new BackupParts(dir);
      for (Services.Bound b : services) {
        parts.add(b, (x, folder) -> x.service().backup(x.scope(), folder), live);
      }
      SortedMap<String, String> allFacts = new TreeMap<>(facts);
      allFacts.putIfAbsent("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
      Manifest m = parts.finish(allFacts);
      if (archive) {
        BackupArchive.pack(dir, target);
      }
      return m;
    } catch (IOException | BackupException | RuntimeException e) {
      if (!archive) {
        Trees.delete(dir);
      }
      throw e;
    } finally {
      if (archive) {
        Trees.delete(dir);
      }
    }
  }

  /**
   * What is wrong with the backup at {@code backup} (folder or archive): missing, altered or
   * unlisted files, or a damaged archive. Empty when every checksum matches.
   */
  public static List<String> verify(Path backup) throws IOException {
    try (Opened o = open(backup)) {
      return o.problems();
    }
  }

  /**
   * What is wrong with the archive read in one pass into {@code contents} ({@link
   * BackupArchive#read}): missing, altered or unlisted files, or no manifest. Empty when intact.
   */
  public static List<String> verify(BackupArchive.Contents contents, String source)
      throws IOException {
    if (contents.manifest() == null) {
      return List.of(source + " is not a backup: it has no " + Manifest.FILE);
    }
    try {
      return Manifest.parse(contents.manifest(), source + ": " + Manifest.FILE)
          .differences(contents.sums());
    } catch (BackupException e) {
      return List.of(e.getMessage());
    }
  }

  /**
   * Replaces the data of {@code services} with the backup's, after checking the backup (see {@link
   * #verify}) and that it holds exactly the app's services; each service is cleared and loaded by
   * its own {@code restore}. Fails before touching anything when a check fails.
   */
  public static Manifest restore(Path backup, List<Services.Bound> services)
      throws IOException, BackupException {
    try (Opened o = open(backup)) {
      if (!o.problems().isEmpty()) {
        throw new BackupException(
            backup + " is damaged; nothing was restored:\n  " + String.join("\n  ", o.problems()));
      }
      Manifest m = Manifest.read(o.dir());
      List<String> diff = serviceDifferences(m, services);
      if (!diff.isEmpty()) {
        throw new BackupException(
            "the backup's services differ from the app's; nothing was restored:\n  "
                + String.join("\n  ", diff));
      }
      load(o.dir(), services);
      return m;
    }
  }

  /**
   * Has each service clear its data and load the backup folder {@code dir}'s, which the caller has
   * checked (checksums and services) already.
   */
  static void load(Path dir, List<Services.Bound> services) throws BackupException {
    for (Services.Bound b : services) {
      try {
        b.service().restore(b.scope(), dir.resolve(b.service().name()));
      } catch (ServiceException e) {
        throw failed(b, e);
      }
    }
  }

  /** {@code e}, which service {@code b} failed with, naming the service as app.ini does. */
  static BackupException failed(Services.Bound b, Exception e) {
    return new BackupException("service." + b.scope().alias() + ": " + e.getMessage(), e);
  }

  /** Services in the backup that the app lacks, and the other way round. */
  static List<String> serviceDifferences(Manifest m, List<Services.Bound> services) {
    TreeSet<String> app = new TreeSet<>();
    services.forEach(b -> app.add(b.service().name()));
    List<String> out = new ArrayList<>();
    for (String s : m.services().keySet()) {
      if (!app.contains(s)) {
        out.add("service." + s + ": in the backup, not in the app");
      }
    }
    for (String s : app) {
      if (!m.services().containsKey(s)) {
        out.add("service." + s + ": in the app, not in the backup");
      }
    }
    return out;
  }

  /** A backup folder ready to read, unpacked into a temporary folder when it was an archive. */
  private record Opened(Path dir, List<String> problems, boolean temporary)
      implements AutoCloseable {
    @Override
    public void close() throws IOException {
      if (temporary) {
        Trees.delete(dir);
      }
    }
  }

  private static Opened open(Path backup) throws IOException {
    if (!Files.exists(backup)) {
      return new Opened(backup, List.of(backup + ": no such file or folder"), false);
    }
    if (!BackupArchive.isArchive(backup)) {
      return new Opened(backup, problems(backup), false);
    }
    Path dir = Files.createTempDirectory("silver-backup-");
    try {
      BackupArchive.unpack(backup, dir);
    } catch (IOException e) {
      return new Opened(
          dir,
          List.of(backup + ": damaged or truncated archive: " + BackupArchive.reason(e)),
          true);
    } catch (BackupException e) { // its message names the file
      return new Opened(dir, List.of(e.getMessage()), true);
    }
    return new Opened(dir, problems(dir), true);
  }

  private static List<String> problems(Path dir) throws IOException {
    try {
      return Manifest.read(dir).differences(dir);
    } catch (BackupException e) {
      return List.of(e.getMessage());
    } catch (IOException e) {
      return List.of(dir.resolve(Manifest.FILE) + ": unreadable: " + e.getMessage());
    }
  }
}

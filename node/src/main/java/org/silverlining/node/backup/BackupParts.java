package org.silverlining.node.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.backupformat.HashedFiles;
import org.silverlining.node.layout.Trees;
import org.silverlining.node.service.ServiceException;
import org.silverlining.node.service.Services;

/**
 * A backup folder (docs/backup-format.md) written one service at a time (a service's part is its
 * folder and the files beside it named after it, such as {@code files.links.jsonl}), on any thread
 * and with pauses between, and made whole by its manifest once every service is in. A checkpoint is
 * written so when part of it comes from the data a restore replaced, after the restore's switch.
 */
final class BackupParts {
  /** Writes service {@code b}'s data into {@code dir}; returns the server's version. */
  @FunctionalInterface
  interface Writer {
    String write(Services.Bound b, Path dir) throws ServiceException;
  }

  private final Path dir;
  private final SortedMap<String, Manifest.Service> services = new TreeMap<>();
  private final SortedMap<String, String> files = new TreeMap<>();

  BackupParts(Path dir) {
    this.dir = dir;
  }

  /**
   * The parts that {@code sofar}, as {@link #manifest} gave it, lists as written into {@code dir}.
   */
  static BackupParts resume(Path dir, Manifest sofar) {
    BackupParts p = new BackupParts(dir);
    p.services.putAll(sofar.services());
    p.files.putAll(sofar.files());
    return p;
  }

  /**
   * Writes service {@code b}'s folder with {@code writer}, handing the bytes to {@code live} (if
   * not null) as they are written, and records its files' checksums.
   */
  void add(Services.Bound b, Writer writer, HashedFiles.Live live)
      throws IOException, BackupException {
    String name = b.service().name();
    synchronized (this) {
      if (services.containsKey(name)) {
        throw new BackupException("the app has service '" + name + "' twice");
      }
    }
    Predicate<String> part = rel -> rel.startsWith(name + "/") || rel.startsWith(name + ".");
    // what a stopped node left of this part
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        if (part.test(p.getFileName() + "/")) {
          Trees.delete(p);
        }
      }
    }
    String server;
    SortedMap<String, String> sums;
    try (HashedFiles hashed = HashedFiles.record(live)) {
      try {
        server = writer.write(b, dir.resolve(name));
      } catch (ServiceException e) {
        throw Backup.failed(b, e);
      }
      sums = Manifest.checksums(dir, hashed, part);
    }
    synchronized (this) {
      services.put(name, new Manifest.Service(b.scope().alias(), server));
      files.putAll(sums);
    }
  }

  /** The manifest of the parts written so far, with {@code facts}. */
  synchronized Manifest manifest(Map<String, String> facts) {
    return new Manifest(new TreeMap<>(facts), new TreeMap<>(services), new TreeMap<>(files));
  }

  /** Writes the manifest of every part, which makes the backup whole, and returns it. */
  Manifest finish(Map<String, String> facts) throws IOException {
    Manifest m = manifest(facts);
    m.write(dir);
    return m;
  }
}

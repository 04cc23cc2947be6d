package org.silverlining.node.backup;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * A backup folder as one {@code .tar.gz}: entries in path order, every time stamp 0, owner 0, modes
 * 0755 for folders and 0644 for files (0755 when executable), so that the same folder always gives
 * the same bytes.
 */
public final class BackupArchive {
  public static final String SUFFIX = ".tar.gz";
  private static final FileTime EPOCH = FileTime.fromMillis(0);

  private BackupArchive() {}

  public static boolean isArchive(Path p) {
    return p.getFileName().toString().endsWith(SUFFIX);
  }

  /** Writes {@code dir} into the archive {@code file}. */
  public static void pack(Path dir, Path file) throws IOException {
    List<Path> all;
    try (Stream<Path> s = Files.walk(dir)) {
      all = s.filter(p -> !p.equals(dir)).sorted().toList();
    }
    GzipParameters gz = new GzipParameters();
    gz.setModificationTime(0);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file));
        GzipCompressorOutputStream z = new GzipCompressorOutputStream(out, gz);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(z)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Path p : all) {
        boolean folder = Files.isDirectory(p);
        String name = Manifest.relative(dir, p) + (folder ? "/" : "");
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setModTime(EPOCH);
        e.setIds(0, 0);
        e.setNames("", "");
        e.setMode(folder || Files.isExecutable(p) ? 0755 : 0644);
        if (!folder) {
          e.setSize(Files.size(p));
        }
        tar.putArchiveEntry(e);
        if (!folder) {
          Files.copy(p, tar);
        }
        tar.closeArchiveEntry();
      }
    }
  }

  /**
   * Unpacks {@code file} into the empty folder {@code dir}; fails on a damaged or truncated archive
   * and on any entry that would land outside {@code dir}.
   */
  public static void unpack(Path file, Path dir) throws IOException, BackupException {
    Path root = dir.toAbsolutePath().normalize();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
        GzipCompressorInputStream z = new GzipCompressorInputStream(in);
        TarArchiveInputStream tar = new TarArchiveInputStream(z)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        Path dest = root.resolve(e.getName()).normalize();
        if (!dest.startsWith(root) || dest.equals(root)) {
          throw new BackupException(file + ": entry '" + e.getName() + "' is outside the backup");
        }
        if (e.isDirectory()) {
          Files.createDirectories(dest);
        } else if (e.isFile()) {
          Files.createDirectories(dest.getParent());
          Files.copy(tar, dest);
          if ((e.getMode() & 0100) != 0) {
            dest.toFile().setExecutable(true);
          }
        } else {
          throw new BackupException(file + ": entry '" + e.getName() + "' is not a file or folder");
        }
      }
    }
  }
}

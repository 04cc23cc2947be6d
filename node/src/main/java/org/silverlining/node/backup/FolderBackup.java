package org.silverlining.node.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Backs up and restores a folder service ({@code files}, {@code writable_root}) as a plain copy of
 * its tree. Only contents and the executable bit are kept: times and owners are volatile facts and
 * would make two backups of the same files differ.
 */
public final class FolderBackup {
  private FolderBackup() {}

  /** Copies the tree under {@code source} (which may be missing: then empty) into {@code dir}. */
  public static void write(Path source, Path dir) throws IOException, BackupException {
    copyTree(source, dir);
  }

  /** Copies {@code dir} of a backup into {@code target}, which must be empty. */
  public static void restore(Path dir, Path target) throws IOException, BackupException {
    copyTree(dir, target);
  }

  static void copyTree(Path from, Path to) throws IOException, BackupException {
    Files.createDirectories(to);
    if (!Files.isDirectory(from)) {
      return;
    }
    List<Path> all;
    try (Stream<Path> s = Files.walk(from)) {
      all = s.sorted().toList();
    }
    for (Path p : all) {
      Path dest = to.resolve(from.relativize(p).toString());
      if (Files.isSymbolicLink(p)) {
        throw new BackupException(
            p
                + " is a symbolic link; a backup keeps only files and folders, so replace it with"
                + " a copy or remove it");
      } else if (Files.isDirectory(p)) {
        Files.createDirectories(dest);
      } else if (Files.isRegularFile(p)) {
        Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
      } else {
        throw new BackupException(p + " is neither a file nor a folder");
      }
    }
  }
}

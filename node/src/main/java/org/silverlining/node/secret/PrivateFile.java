package org.silverlining.node.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** A file only its owner may read (mode 600), replaced atomically: readers see old or new text. */
public final class PrivateFile {
  private PrivateFile() {}

  /** Writes {@code text} to a new mode-600 file beside {@code file}, then renames it over it. */
  public static void replace(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try (var ch =
          java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncFolder(file.getParent());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Makes the rename itself durable; where a folder cannot be opened for that, it is skipped. */
  private static void syncFolder(Path dir) {
    try (var ch = java.nio.channels.FileChannel.open(dir, java.nio.file.StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // not every file system lets a folder be synced; the rename is atomic all the same
    }
  }
}

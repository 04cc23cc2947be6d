package org.silverlining.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The one way the node and the CLI write a file only its owner may read (mode 600): tokens, the key
 * ring, service credentials, global settings, the CLI's node registry. {@link #replace} writes a
 * new file beside the old one, syncs it, renames it over the old one and syncs the folder, so a
 * reader (or a crash) sees the old text or the new, never a mix; {@link #append} adds to the end
 * and syncs.
 */
public final class PrivateFile {
  private static final FileAttribute<?> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private PrivateFile() {}

  /** Replaces {@code file} with {@code text} (UTF-8), atomically and durably. */
  public static void replace(Path file, String text) throws IOException {
    replace(file, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Replaces {@code file} with {@code bytes}, atomically and durably. */
  public static void replace(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      try (FileChannel ch = create(tmp, StandardOpenOption.CREATE_NEW)) {
        write(ch, bytes);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncFolder(file.getParent());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Adds {@code text} (UTF-8) to the end of {@code file}, made mode 600 if new, durably. */
  public static void append(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    boolean existed = Files.exists(file);
    try (FileChannel ch = create(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      write(ch, text.getBytes(StandardCharsets.UTF_8));
    }
    if (!existed) {
      syncFolder(file.getParent());
    }
  }

  private static FileChannel create(Path file, StandardOpenOption... how) throws IOException {
    Set<StandardOpenOption> options = new java.util.HashSet<>(Set.of(how));
    options.add(StandardOpenOption.WRITE);
    try {
      return FileChannel.open(file, options, OWNER_ONLY);
    } catch (UnsupportedOperationException e) {
      return FileChannel.open(file, options); // a file system without POSIX modes
    }
  }

  private static void write(FileChannel ch, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      ch.write(b);
    }
    ch.force(true);
  }

  /** Makes a new name in {@code dir} durable; where a folder cannot be opened for that, skipped. */
  private static void syncFolder(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // not every file system lets a folder be synced; the rename is atomic all the same
    }
  }
}

package org.silverlining.node.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of a folder about to become a revision, read into memory and checked. Regular files are
 * taken with their executable bit; folders only through the files they hold (git keeps no empty
 * folder). A link is taken as a copy of its target when that target is a regular file inside the
 * folder; a link out of the folder, to a folder, or to nothing, and any special file (socket, pipe,
 * device) rejects the whole folder. So do more than {@code maxFiles} files or more than {@code
 * maxBytes} bytes in all.
 */
final class SourceTree {
  /** One file: its {@code /}-separated path relative to the folder. */
  record Entry(String path, byte[] content, boolean executable) {}

  private SourceTree() {}

  static List<Entry> read(Path dir, long maxBytes, int maxFiles)
      throws IOException, ConfigRejectedException {
    if (!Files.isDirectory(dir)) {
      throw new ConfigRejectedException(dir + " is not a folder");
    }
    Path root = dir.toRealPath();
    List<Path> paths = walk(root);
    List<Entry> entries = new ArrayList<>();
    long total = 0;
    for (Path p : paths) {
      BasicFileAttributes a =
          Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (a.isDirectory()) {
        continue;
      }
      String rel = relative(root, p);
      Path file = a.isSymbolicLink() ? linkTarget(root, p, rel) : p;
      if (!a.isSymbolicLink() && !a.isRegularFile()) {
        throw new ConfigRejectedException(
            rel + " is neither a file nor a folder; a configuration holds only those");
      }
      if (entries.size() == maxFiles) {
        throw new ConfigRejectedException(
            "the configuration has more than " + maxFiles + " files, the limit");
      }
      byte[] content = Files.readAllBytes(file);
      total += content.length;
      if (total > maxBytes) {
        throw new ConfigRejectedException(
            "the configuration is larger than " + maxBytes + " bytes, the limit (at " + rel + ")");
      }
      entries.add(new Entry(rel, content, executable(file)));
    }
    return entries;
  }

  private static List<Path> walk(Path root) throws IOException {
    // Files.walk does not follow links: a link is seen as itself and checked below.
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> !p.equals(root)).sorted().toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static Path linkTarget(Path root, Path link, String rel)
      throws IOException, ConfigRejectedException {
    Path target;
    try {
      target = link.toRealPath();
    } catch (NoSuchFileException e) {
      throw new ConfigRejectedException(rel + " is a link to nothing (" + readLink(link) + ")");
    }
    if (!target.startsWith(root)) {
      throw new ConfigRejectedException(
          rel + " is a link out of the configuration folder (to " + readLink(link) + ")");
    }
    if (!Files.isRegularFile(target)) {
      throw new ConfigRejectedException(
          rel + " is a link to a folder or a special file; only links to files are taken");
    }
    return target;
  }

  private static String readLink(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException e) {
      return "?";
    }
  }

  private static boolean executable(Path file) throws IOException {
    try {
      return Files.readAttributes(file, PosixFileAttributes.class)
          .permissions()
          .contains(PosixFilePermission.OWNER_EXECUTE);
    } catch (UnsupportedOperationException e) {
      return false;
    }
  }

  static String relative(Path root, Path p) {
    StringBuilder b = new StringBuilder();
    for (Path name : root.relativize(p)) {
      if (b.length() > 0) {
        b.append('/');
      }
      b.append(name);
    }
    return b.toString();
  }
}

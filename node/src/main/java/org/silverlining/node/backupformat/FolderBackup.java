package org.silverlining.node.backupformat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Backs up and restores a folder service ({@code files}, {@code writable_root}) as a plain copy of
 * its tree. Only contents and the executable bit are kept: times and owners are volatile facts and
 * would make two backups of the same files differ.
 *
 * <p>Symbolic links are not followed: each is a line of {@code NAME.links.jsonl} beside the tree
 * ({@code {"path":"logs/current","target":"2026-11-26.log"}}, sorted by path), so that the tree
 * stays plain files and folders and an archive never holds a link. A restore makes them last, only
 * inside the target folder and never through another link; their targets are kept as they were, and
 * the front never serves a file through a link that leads out of the app's folders.
 */
public final class FolderBackup {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FolderBackup() {}

  /** Copies the tree under {@code source} (which may be missing: then empty) into {@code dir}. */
  public static void write(Path source, Path dir) throws IOException, BackupException {
    Files.createDirectories(dir);
    if (!Files.isDirectory(source)) {
      return;
    }
    List<ObjectNode> links = new ArrayList<>();
    for (Path p : sortedTree(source)) {
      Path dest = dir.resolve(source.relativize(p).toString());
      if (Files.isSymbolicLink(p)) {
        ObjectNode link = JSON.createObjectNode();
        link.put("path", relative(source, p));
        link.put("target", Files.readSymbolicLink(p).toString());
        links.add(link);
      } else if (Files.isDirectory(p)) {
        Files.createDirectories(dest);
      } else if (Files.isRegularFile(p)) {
        Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
      } else {
        throw new BackupException(p + " is neither a file, a folder nor a symbolic link");
      }
    }
    if (!links.isEmpty()) {
      try (BufferedWriter w = Files.newBufferedWriter(linksFile(dir), StandardCharsets.UTF_8)) {
        for (ObjectNode link : links) {
          w.write(JSON.writeValueAsString(link));
          w.write('\n');
        }
      }
    }
  }

  /** Copies {@code dir} of a backup into {@code target}, which must be empty, then its links. */
  public static void restore(Path dir, Path target) throws IOException, BackupException {
    Files.createDirectories(target);
    if (Files.isDirectory(dir)) {
      for (Path p : sortedTree(dir)) {
        Path dest = target.resolve(dir.relativize(p).toString());
        if (Files.isSymbolicLink(p)) {
          throw new BackupException(p + " is a symbolic link inside a backup's tree: not restored");
        } else if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else if (Files.isRegularFile(p)) {
          Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
        } else {
          throw new BackupException(p + " is neither a file nor a folder");
        }
      }
    }
    Path links = linksFile(dir);
    if (Files.isRegularFile(links)) {
      int line = 0;
      for (String text : Files.readAllLines(links, StandardCharsets.UTF_8)) {
        line++;
        if (!text.isBlank()) {
          makeLink(target, JSON.readTree(text), links.getFileName() + ":" + line);
        }
      }
    }
  }

  /** The file beside the tree {@code dir} that lists its symbolic links. */
  static Path linksFile(Path dir) {
    return dir.resolveSibling(dir.getFileName() + ".links.jsonl");
  }

  private static void makeLink(Path target, JsonNode link, String where)
      throws IOException, BackupException {
    String path = link.path("path").asText("");
    String to = link.path("target").asText("");
    if (path.isEmpty() || to.isEmpty() || to.indexOf('\0') >= 0) {
      throw new BackupException(where + ": a link needs a path and a target");
    }
    Path root = target.toRealPath();
    Path at = root;
    for (String part : path.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..") || part.indexOf('\\') >= 0) {
        throw new BackupException(where + ": '" + path + "' is not a path inside the folder");
      }
      if (at != root && Files.isSymbolicLink(at)) {
        throw new BackupException(where + ": '" + path + "' goes through another link");
      }
      at = at.resolve(part);
    }
    if (Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
      throw new BackupException(where + ": '" + path + "' is in the backup twice");
    }
    Files.createDirectories(at.getParent());
    Files.createSymbolicLink(at, Path.of(to));
  }

  private static List<Path> sortedTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.sorted().toList();
    }
  }

  private static String relative(Path root, Path p) {
    return root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
  }
}

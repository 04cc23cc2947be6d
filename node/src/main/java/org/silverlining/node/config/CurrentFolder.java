package org.silverlining.node.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The folder an app reads its configuration from, switched from one tree to the next in one atomic
 * step. {@code LINK} (the folder the app is given) is a symbolic link to a sibling {@code LINK.rN}
 * holding revision N's files:
 *
 * <pre>
 * config/current      -> current.r7     what the app sees (SILVER_APP_CONFIG)
 * config/current.r7/                    the live tree, read-only (owner r/x only)
 * config/current.r6/                    the tree before, kept until the next switch
 * config/current.tmp/                   a tree being written (only during a switch)
 * config/current.swap -> current.r8     the link about to replace {@code current}
 * </pre>
 *
 * <p>A switch writes the whole new tree into {@code LINK.tmp}, renames it to {@code LINK.rN}, then
 * renames a new link over {@code LINK} ({@code rename(2)} replaces it atomically): a reader sees
 * the old tree or the new one, never a part. The tree before stays until the next switch, so a
 * process that resolved the link just before still finds its files; older ones are removed.
 * Leftovers of a switch cut short ({@code .tmp}, {@code .swap}) are removed by {@link #clean}.
 *
 * <p>The trees are the app's to read, not to change: files {@code r--------} ({@code r-x------}
 * when executable), folders {@code r-x------}, owned by the node's user, which the apps run as.
 */
final class CurrentFolder {
  /** Writes a tree's files into an empty folder. */
  interface TreeWriter {
    void write(Path dir) throws IOException;
  }

  private static final Set<PosixFilePermission> READ_ONLY =
      PosixFilePermissions.fromString("r--------");
  private static final Set<PosixFilePermission> READ_ONLY_EXEC =
      PosixFilePermissions.fromString("r-x------");
  private static final Set<PosixFilePermission> WRITABLE_DIR =
      PosixFilePermissions.fromString("rwx------");

  private final Path link;
  private final Path parent;
  private final String name;
  private final Pattern treeName;

  CurrentFolder(Path link) {
    this.link = link.toAbsolutePath().normalize();
    this.parent = this.link.getParent();
    this.name = this.link.getFileName().toString();
    this.treeName = Pattern.compile(Pattern.quote(name) + "\\.r\\d+(\\.\\d+)?");
  }

  Path link() {
    return link;
  }

  /** Removes what a switch cut short left: the half-written tree and the unplaced link. */
  void clean() throws IOException {
    deleteTree(temporary());
    Files.deleteIfExists(swap());
  }

  /** The tree {@code LINK} points to, when it is a link to an existing folder. */
  Optional<Path> liveTree() throws IOException {
    if (!Files.isSymbolicLink(link) || !Files.isDirectory(link)) {
      return Optional.empty();
    }
    return Optional.of(link.toRealPath());
  }

  /**
   * Makes {@code LINK} show a new tree for revision {@code number} (0 for "no revision yet"),
   * written by {@code writer}; returns once the switch is done.
   */
  void show(int number, TreeWriter writer) throws IOException {
    Files.createDirectories(parent);
    clean();
    Path tmp = temporary();
    if (supportsPosix(parent)) {
      // Nobody else may look in while the files are still writable.
      Files.createDirectory(tmp, PosixFilePermissions.asFileAttribute(WRITABLE_DIR));
    } else {
      Files.createDirectory(tmp);
    }
    writer.write(tmp);
    makeReadOnly(tmp);
    Path tree = freeTreeName(number);
    Files.move(tmp, tree, StandardCopyOption.ATOMIC_MOVE);
    Optional<Path> before = liveTree();
    if (Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS)) {
      // A real folder in its place (made by hand or by an older node): it cannot be swapped
      // atomically, so it goes first. This happens once.
      deleteTree(link);
    }
    Path swap = swap();
    Files.createSymbolicLink(swap, parent.relativize(tree));
    Files.move(swap, link, StandardCopyOption.ATOMIC_MOVE);
    prune(tree.getFileName(), before.map(Path::getFileName).orElse(null));
  }

  private Path temporary() {
    return parent.resolve(name + ".tmp");
  }

  private Path swap() {
    return parent.resolve(name + ".swap");
  }

  private Path freeTreeName(int number) {
    Path tree = parent.resolve(name + ".r" + number);
    // Only a repair after a crash shows the same revision again; it gets a name of its own so that
    // the tree the link still points to stays whole until the swap.
    for (int k = 1; Files.exists(tree, LinkOption.NOFOLLOW_LINKS); k++) {
      tree = parent.resolve(name + ".r" + number + "." + k);
    }
    return tree;
  }

  /** Removes every tree of this folder but those named {@code live} and {@code before}. */
  private void prune(Path live, Path before) throws IOException {
    List<Path> old = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(parent)) {
      for (Path p : s) {
        if (treeName.matcher(p.getFileName().toString()).matches()
            && !p.getFileName().equals(live)
            && !p.getFileName().equals(before)) {
          old.add(p);
        }
      }
    }
    for (Path p : old) {
      deleteTree(p);
    }
  }

  private static void makeReadOnly(Path dir) throws IOException {
    if (!supportsPosix(dir)) {
      return;
    }
    // Deepest first, so that each folder is still writable while its entries change.
    for (Path p : walk(dir, Comparator.reverseOrder())) {
      boolean exec =
          Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
              || Files.getPosixFilePermissions(p).contains(PosixFilePermission.OWNER_EXECUTE);
      Files.setPosixFilePermissions(p, exec ? READ_ONLY_EXEC : READ_ONLY);
    }
  }

  /** Deletes a folder tree made read-only by {@link #makeReadOnly}, without following links. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && supportsPosix(dir)) {
      for (Path p : walk(dir, Comparator.naturalOrder())) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.setPosixFilePermissions(p, WRITABLE_DIR);
        }
      }
    }
    for (Path p : walk(dir, Comparator.reverseOrder())) {
      Files.deleteIfExists(p);
    }
  }

  private static List<Path> walk(Path dir, Comparator<Path> order) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.sorted(order).toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static boolean supportsPosix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}

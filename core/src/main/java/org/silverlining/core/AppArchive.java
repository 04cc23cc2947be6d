package org.silverlining.core;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The upload format of an application: a gzipped tar of its folder, without what {@code
 * .silverignore} leaves out. Unpacking is defensive: no entry may land outside the target folder,
 * and links may only point inside it.
 */
public final class AppArchive {
  private AppArchive() {}

  /** One file of an unpacked or packed application. */
  public record FileEntry(String path, long size, String sha256) {}

  /** Writes {@code appDir} as a tar.gz to {@code out}, returning the files it holds in order. */
  public static List<FileEntry> pack(Path appDir, OutputStream out) throws IOException {
    IgnoreRules ignore = IgnoreRules.of(appDir);
    List<FileEntry> files = new ArrayList<>();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GZIPOutputStream(new BufferedOutputStream(out), 65536))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Path file : walkSorted(appDir, ignore)) {
        String name = appDir.relativize(file).toString().replace('\\', '/');
        if (Files.isSymbolicLink(file)) {
          TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
          e.setLinkName(Files.readSymbolicLink(file).toString());
          tar.putArchiveEntry(e);
          tar.closeArchiveEntry();
        } else if (Files.isDirectory(file)) {
          tar.putArchiveEntry(new TarArchiveEntry(file, name + "/"));
          tar.closeArchiveEntry();
        } else {
          TarArchiveEntry e = new TarArchiveEntry(file, name);
          e.setMode(Files.isExecutable(file) ? 0755 : 0644);
          tar.putArchiveEntry(e);
          Hashing.Digest digest = Hashing.sha256();
          try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(digest.tee(tar));
          }
          tar.closeArchiveEntry();
          files.add(new FileEntry(name, e.getSize(), digest.hex()));
        }
      }
    }
    return files;
  }

  private static List<Path> walkSorted(Path root, IgnoreRules ignore) throws IOException {
    List<Path> out = new ArrayList<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (!dir.equals(root)) {
              if (ignore.ignores(root.relativize(dir).toString(), true)) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              out.add(dir);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (!ignore.ignores(root.relativize(file).toString(), false)) {
              out.add(file);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    out.sort(null);
    return out;
  }

  /**
   * Unpacks a tar.gz from {@code in} into the new folder {@code target}, returning its files. An
   * entry that would escape {@code target} — an absolute path, a {@code ..} step, a link pointing
   * outside, a hard link, a device — fails the whole unpack with {@link UnsafeArchiveException};
   * the caller removes {@code target}.
   */
  public static List<FileEntry> unpack(InputStream in, Path target) throws IOException {
    Path root = target.toAbsolutePath().normalize();
    Files.createDirectories(root);
    List<FileEntry> files = new ArrayList<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GZIPInputStream(new BufferedInputStream(in), 65536))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String name = e.getName();
        Path dest = safeDestination(root, name);
        checkParentsAreNotLinks(root, dest, name);
        if (e.isDirectory()) {
          if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)
              && !Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
            throw new UnsafeArchiveException(name, "appears twice in the archive");
          }
          Files.createDirectories(dest);
        } else if (e.isSymbolicLink()) {
          checkIsNew(dest, name);
          checkLinkTarget(root, dest, name, e.getLinkName());
          Files.createDirectories(dest.getParent());
          Files.createSymbolicLink(dest, Path.of(e.getLinkName()));
        } else if (isPlainFile(e)) {
          checkIsNew(dest, name);
          Files.createDirectories(dest.getParent());
          Hashing.Digest digest = Hashing.sha256();
          try (OutputStream out = Files.newOutputStream(dest)) {
            tar.transferTo(digest.tee(out));
          }
          if ((e.getMode() & 0100) != 0) {
            Files.setPosixFilePermissions(dest, EXECUTABLE);
          }
          files.add(
              new FileEntry(root.relativize(dest).toString(), Files.size(dest), digest.hex()));
        } else {
          throw new UnsafeArchiveException(
              name,
              "is a hard link, device or other special file; only files, folders and links inside"
                  + " the application are allowed");
        }
      }
    }
    return files;
  }

  private static final Set<PosixFilePermission> EXECUTABLE =
      EnumSet.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE,
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_EXECUTE);

  private static Path safeDestination(Path root, String name) {
    if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains("\0")) {
      throw new UnsafeArchiveException(name, "is not a relative path inside the application");
    }
    for (String part : name.split("/")) {
      if (part.equals("..")) {
        throw new UnsafeArchiveException(name, "steps out of the application with '..'");
      }
    }
    Path dest = root.resolve(name).normalize();
    if (!dest.startsWith(root) || dest.equals(root)) {
      throw new UnsafeArchiveException(name, "lands outside the application");
    }
    return dest;
  }

  // TarArchiveEntry.isFile() is true for hard links and devices too, so regular files are named.
  private static boolean isPlainFile(TarArchiveEntry e) {
    return e.getLinkFlag() == TarArchiveEntry.LF_NORMAL
        || e.getLinkFlag() == TarArchiveEntry.LF_OLDNORM;
  }

  // Anything written through an earlier link (even one pointing inside) could be redirected later;
  // keeping every parent a real folder also makes the lexical checks here match the file system.
  private static void checkParentsAreNotLinks(Path root, Path dest, String name) {
    for (Path p = dest.getParent(); p != null && !p.equals(root); p = p.getParent()) {
      if (Files.isSymbolicLink(p)) {
        throw new UnsafeArchiveException(name, "is written through a link");
      }
    }
  }

  private static void checkIsNew(Path dest, String name) {
    if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
      throw new UnsafeArchiveException(name, "appears twice in the archive");
    }
  }

  // A '..' after a name only undoes that name on paper: when the name is itself a link ("loop/.."
  // with loop -> .), the real step lands elsewhere. Leading '..' steps climb real folders (see
  // checkParentsAreNotLinks), and every link is checked, so any chain of links stays inside.
  private static void checkLinkTarget(Path root, Path dest, String name, String target) {
    boolean descended = false;
    boolean climbsBack = false;
    for (String part : target.split("/")) {
      if (part.equals("..")) {
        climbsBack |= descended;
      } else if (!part.isEmpty() && !part.equals(".")) {
        descended = true;
      }
    }
    if (target.isEmpty()
        || target.startsWith("/")
        || target.contains("\\")
        || target.contains("\0")
        || climbsBack
        || !dest.getParent().resolve(target).normalize().startsWith(root)) {
      throw new UnsafeArchiveException(
          name,
          "is a link to '"
              + target
              + "', which may lead outside the application; links must be relative, may only"
              + " start with '..' steps, and must stay inside");
    }
  }
}

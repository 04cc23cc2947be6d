package org.silverlining.node.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Folders to git trees and back. A tree holds only regular and executable files (no links, no empty
 * folders); writing one refuses anything else, and any path that would leave the target.
 */
final class GitTrees {
  /** The id of the tree with no files; a repository holds it only once something was deleted. */
  static final ObjectId EMPTY =
      new ObjectInserter.Formatter().idFor(Constants.OBJ_TREE, new byte[0]);

  private GitTrees() {}

  /** Inserts the files and the tree of them; returns the tree's id. */
  static ObjectId insert(List<SourceTree.Entry> files, ObjectInserter inserter)
      throws IOException, ConfigRejectedException {
    DirCache index = DirCache.newInCore();
    DirCacheBuilder builder = index.builder();
    for (SourceTree.Entry file : files) {
      DirCacheEntry entry;
      try {
        entry = new DirCacheEntry(file.path());
      } catch (IllegalArgumentException e) {
        throw new ConfigRejectedException(file.path() + " is a name git cannot keep");
      }
      entry.setFileMode(file.executable() ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE);
      entry.setLength(file.content().length);
      entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, file.content()));
      builder.add(entry);
    }
    builder.finish();
    return index.writeTree(inserter);
  }

  /** The id a folder's files would have as a tree, or null when they could not be a revision. */
  static ObjectId idOf(Path dir) throws IOException {
    try (ObjectInserter hashOnly = new HashingInserter()) {
      return insert(SourceTree.read(dir, Long.MAX_VALUE, Integer.MAX_VALUE), hashOnly);
    } catch (ConfigRejectedException e) {
      return null;
    }
  }

  /** Writes a tree's files into an existing empty folder, executable ones with their x bits. */
  static void write(Repository repo, ObjectId tree, Path dir) throws IOException {
    if (tree.equals(EMPTY)) {
      return; // perhaps not in the repository
    }
    try (TreeWalk walk = walk(repo, tree)) {
      while (walk.next()) {
        FileMode mode = walk.getFileMode(0);
        Path out = dir.resolve(walk.getPathString()).normalize();
        if (!out.startsWith(dir)
            || (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE)) {
          throw new IOException(
              "configuration repository holds an unexpected entry: " + walk.getPathString());
        }
        Files.createDirectories(out.getParent());
        try (OutputStream o = Files.newOutputStream(out, StandardOpenOption.CREATE_NEW)) {
          walk.getObjectReader().open(walk.getObjectId(0), Constants.OBJ_BLOB).copyTo(o);
        }
        if (mode == FileMode.EXECUTABLE_FILE) {
          makeExecutable(out);
        }
      }
    }
  }

  /** A walk over every file of a tree, in path order. */
  static TreeWalk walk(Repository repo, ObjectId tree) throws IOException {
    TreeWalk walk = new TreeWalk(repo);
    walk.addTree(tree);
    walk.setRecursive(true);
    return walk;
  }

  private static void makeExecutable(Path file) throws IOException {
    if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(file));
    perms.add(PosixFilePermission.OWNER_EXECUTE);
    if (perms.contains(PosixFilePermission.GROUP_READ)) {
      perms.add(PosixFilePermission.GROUP_EXECUTE);
    }
    if (perms.contains(PosixFilePermission.OTHERS_READ)) {
      perms.add(PosixFilePermission.OTHERS_EXECUTE);
    }
    Files.setPosixFilePermissions(file, perms);
  }

  /** An inserter that computes object ids and stores nothing. */
  private static final class HashingInserter extends ObjectInserter.Formatter {
    @Override
    public ObjectId insert(int type, long length, InputStream in) throws IOException {
      return idFor(type, length, in);
    }
  }
}

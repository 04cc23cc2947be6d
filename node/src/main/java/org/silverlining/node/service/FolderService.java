package org.silverlining.node.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.backupformat.FolderBackup;

/** A service that is a folder of the app's on the node: {@code files} and {@code writable_root}. */
abstract class FolderService implements Service {
  private final String folder;
  private final String variable;

  FolderService(String folder, String variable) {
    this.folder = folder;
    this.variable = variable;
  }

  Path dir(ServiceScope scope) {
    return scope.dataDir().resolve(folder);
  }

  @Override
  public void provision(ServiceScope scope) throws ServiceException {
    try {
      Files.createDirectories(dir(scope));
    } catch (IOException e) {
      throw new ServiceException("cannot create " + dir(scope) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Map<String, String> environment(ServiceScope scope) {
    return Map.of(variable, dir(scope).toString());
  }

  @Override
  public void clear(ServiceScope scope) throws ServiceException {
    deleteBelow(dir(scope), false);
  }

  @Override
  public void drop(ServiceScope scope) throws ServiceException {
    deleteBelow(dir(scope), true);
  }

  @Override
  public String backup(ServiceScope scope, Path dir) throws ServiceException {
    try {
      FolderBackup.write(dir(scope), dir);
    } catch (IOException | BackupException e) {
      throw new ServiceException("cannot back up " + dir(scope) + ": " + e.getMessage(), e);
    }
    return "";
  }

  @Override
  public void restore(ServiceScope scope, Path dir) throws ServiceException {
    clear(scope);
    try {
      FolderBackup.restore(dir, dir(scope));
    } catch (IOException | BackupException e) {
      throw new ServiceException("cannot restore " + dir(scope) + ": " + e.getMessage(), e);
    }
  }

  static void deleteBelow(Path dir, boolean includingDir) throws ServiceException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        if (includingDir || !p.equals(dir)) {
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      throw new ServiceException("cannot empty " + dir + ": " + e.getMessage(), e);
    }
  }
}

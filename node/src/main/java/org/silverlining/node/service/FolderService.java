package org.silverlining.node.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

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

package org.silverlining.node.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.backupformat.SqliteBackup;

/**
 * {@code service.sqlite}: an SQLite database file of the app's, the embedded default — {@code
 * CONFIG_SQLITE_PATH} and {@code CONFIG_SQLITE_JDBC_URL}.
 */
public final class SqliteService implements Service {
  @Override
  public String name() {
    return "sqlite";
  }

  Path file(ServiceScope scope) {
    return scope.dataDir().resolve("sqlite").resolve(scope.resourceName() + ".db");
  }

  @Override
  public void provision(ServiceScope scope) throws ServiceException {
    Path f = file(scope);
    try {
      Files.createDirectories(f.getParent());
      if (!Files.exists(f)) {
        Files.createFile(f);
      }
    } catch (IOException e) {
      throw new ServiceException("cannot create " + f + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Map<String, String> environment(ServiceScope scope) {
    Path f = file(scope);
    return Map.of("CONFIG_SQLITE_PATH", f.toString(), "CONFIG_SQLITE_JDBC_URL", "jdbc:sqlite:" + f);
  }

  @Override
  public void clear(ServiceScope scope) throws ServiceException {
    drop(scope);
    provision(scope);
  }

  @Override
  public String backup(ServiceScope scope, Path dir) throws ServiceException {
    Path f = file(scope);
    try {
      return SqliteBackup.write(f, dir);
    } catch (IOException | SQLException e) {
      throw new ServiceException("cannot back up " + f + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void restore(ServiceScope scope, Path dir) throws ServiceException {
    clear(scope);
    Path f = file(scope);
    try {
      SqliteBackup.restore(f, dir);
    } catch (IOException | SQLException | BackupException e) {
      throw new ServiceException("cannot restore " + f + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void drop(ServiceScope scope) throws ServiceException {
    Path f = file(scope);
    try {
      for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
        Files.deleteIfExists(f.resolveSibling(f.getFileName() + suffix));
      }
    } catch (IOException e) {
      throw new ServiceException("cannot remove " + f + ": " + e.getMessage(), e);
    }
  }
}

package org.silverlining.node.service;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One kind of service an app asks for with {@code service.NAME = OPTIONS} in its app.ini: a place
 * for its data that outlives deployments. Every service has the same lifecycle, so that deploys,
 * backups and tests drive them all alike:
 *
 * <ol>
 *   <li>{@link #provision} creates what the app needs; it is idempotent and runs on every update;
 *   <li>{@link #environment} gives the {@code CONFIG_*} variables from what provisioning stored,
 *       without touching the server (it runs whenever a process starts);
 *   <li>{@link #clear} empties the data but keeps the service usable;
 *   <li>{@link #drop} removes everything, for the throw-away services of {@code silver test}.
 * </ol>
 */
public interface Service {
  /** The name used in app.ini, e.g. {@code postgresql}. */
  String name();

  /** Other names for the same service, e.g. {@code postgis}. */
  default List<String> aliases() {
    return List.of();
  }

  /** The options this service understands after {@code =}, for error messages. */
  default List<String> options() {
    return List.of();
  }

  void provision(ServiceScope scope) throws ServiceException;

  Map<String, String> environment(ServiceScope scope) throws ServiceException;

  void clear(ServiceScope scope) throws ServiceException;

  void drop(ServiceScope scope) throws ServiceException;

  /**
   * Writes the app's data into the folder {@code dir} in the backup format (docs/backup-format.md)
   * and returns the server's version for the manifest ({@code ""} when there is no server).
   */
  default String backup(ServiceScope scope, Path dir) throws ServiceException {
    throw new ServiceException("service." + name() + " cannot be backed up yet");
  }

  /**
   * Replaces the app's data with what {@link #backup} wrote into {@code dir}: empties the service
   * as {@link #clear} does, then loads the backup.
   */
  default void restore(ServiceScope scope, Path dir) throws ServiceException {
    throw new ServiceException("service." + name() + " cannot be restored yet");
  }
}

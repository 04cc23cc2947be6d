package org.silverlining.node.service;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.silverlining.node.backupformat.Arrivals;

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

  /**
   * Whether the data lives on a database server of {@code [service.NAME]} in node.ini, which the
   * services node of a nodeset can then provide for the app on every app server; {@code false} for
   * services kept in the node's own folders.
   */
  default boolean usesServer() {
    return false;
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

  /**
   * The first half of a {@link #restore} of {@code dir}: does what can be done without touching the
   * app's data, such as loading the backup beside it, and returns what puts it in place. {@code
   * files} may still be arriving; {@link Staged#commit} runs once they all have, and have been
   * checked. By default nothing is done until {@link Staged#commit}, which restores.
   */
  default Staged stage(ServiceScope scope, Path dir, Arrivals files) throws ServiceException {
    return new Staged() {
      @Override
      public void commit() throws ServiceException {
        restore(scope, dir);
      }

      @Override
      public void discard() {}
    };
  }

  /**
   * Whether {@link Staged#commit} keeps the data it replaces, until {@link #dropReplaced}: a
   * restore then takes its checkpoint of that data after the switch ({@link #backupReplaced}), not
   * beside its load.
   */
  default boolean keepsReplaced() {
    return false;
  }

  /**
   * Backs up, as {@link #backup} does, the data the last {@link Staged#commit} replaced and kept;
   * empty when none is kept (no commit happened since the last {@link #dropReplaced}).
   */
  default Optional<String> backupReplaced(ServiceScope scope, Path dir) throws ServiceException {
    return Optional.empty();
  }

  /** Deletes the data the last {@link Staged#commit} replaced and kept, if any. */
  default void dropReplaced(ServiceScope scope) throws ServiceException {}

  /** A restore {@link #stage staged} beside the app's data. */
  interface Staged {
    /**
     * Puts the restored data in place of the app's; what it replaces is kept when the service
     * {@link #keepsReplaced}, else gone.
     */
    void commit() throws ServiceException;

    /** Deletes what was staged; the app's data stays as it was. */
    void discard();
  }
}

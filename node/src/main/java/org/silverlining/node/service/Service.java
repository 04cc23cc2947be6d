package org.silverlining.node.service;

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
}

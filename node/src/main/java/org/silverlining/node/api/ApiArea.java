package org.silverlining.node.api;

/**
 * One area of an API (releases, configuration, backups...): a group of routes and the parts of the
 * node they call. An area adds its routes to the {@link Routes} it is given; it never sees the
 * others', and it answers through {@link ApiCall}, throwing refusals for {@link ApiErrors} to map.
 */
public interface ApiArea {
  /** Adds this area's routes. */
  void addRoutes(Routes routes);
}

package org.silverlining.node.front;

/**
 * The result of routing one request.
 *
 * @param instance the instance that should answer: the route's active one, or its previous one for
 *     a {@code prev.} host
 * @param remainingPath the request's path below the matched prefix, starting with {@code /}
 */
public record RouteMatch(Route route, String instance, boolean previous, String remainingPath) {
  /** The request attribute under which the router leaves its decision for the next handlers. */
  public static final String ATTRIBUTE = "silver.route";

  /** The matched path prefix, empty at the root, as in {@code SILVER_MATCH_PATH}. */
  public String prefix() {
    String p = route.location().path();
    return p.equals("/") ? "" : p;
  }
}

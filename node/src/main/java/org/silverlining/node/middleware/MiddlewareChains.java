package org.silverlining.node.middleware;

import java.util.HashMap;
import java.util.Map;
import org.silverlining.core.Location;

/**
 * The chain of every location, as the front reads it. The map is replaced whole on each change and
 * published with a volatile write: a request sees a location's old chain or its new one, never a
 * mix, and none waits for a change.
 */
public final class MiddlewareChains {
  private volatile Map<Location, MiddlewareChain> byLocation = Map.of();

  /** The chain of {@code location}; the empty chain when it has no middleware. */
  public MiddlewareChain of(Location location) {
    MiddlewareChain c = byLocation.get(location);
    return c == null ? MiddlewareChain.EMPTY : c;
  }

  synchronized void put(Location location, MiddlewareChain chain) {
    Map<Location, MiddlewareChain> next = new HashMap<>(byLocation);
    if (chain.isEmpty()) {
      next.remove(location);
    } else {
      next.put(location, chain);
    }
    byLocation = Map.copyOf(next);
  }
}

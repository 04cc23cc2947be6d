package org.silverlining.node.balancer;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.silverlining.core.Location;

/** A location the balancer spreads over its nodeset's app servers, in turn. */
record BalancedLocation(
    Location location, String nodeset, List<Upstream> upstreams, AtomicInteger next) {
  BalancedLocation(Location location, String nodeset, List<Upstream> upstreams) {
    this(location, nodeset, List.copyOf(upstreams), new AtomicInteger());
  }

  /**
   * The next app server in turn that is in rotation and not in {@code tried}; when none is in
   * rotation, the next one not tried (the checks may lag behind); null when every one was tried.
   */
  Upstream pick(Set<Upstream> tried) {
    int n = upstreams.size();
    int start = Math.floorMod(next.getAndIncrement(), n);
    Upstream fallback = null;
    for (int i = 0; i < n; i++) {
      Upstream u = upstreams.get((start + i) % n);
      if (tried.contains(u)) {
        continue;
      }
      if (u.healthy()) {
        return u;
      }
      if (fallback == null) {
        fallback = u;
      }
    }
    return fallback;
  }
}

package org.silverlining.node.front;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.silverlining.core.Location;

/**
 * An immutable routing table. A request is matched by its host — exact host first, then the
 * wildcard hosts from the most specific, then the node's {@code default} location — and within a
 * host by the longest path prefix; a location with a port only matches requests to that port. A
 * host {@code prev.HOST} that no exact location claims reaches the previous instance of whatever
 * serves {@code HOST} — before wildcards and the default, which would otherwise swallow it.
 * Replaced as a whole on every change, so a request sees the old table or the new one, never a mix.
 */
public final class RouteTable {
  public static final RouteTable EMPTY = new RouteTable(List.of());
  private static final String PREVIOUS_PREFIX = "prev.";

  private final List<Route> exact;
  private final List<Route> wildcards;
  private final List<Route> defaults;

  public RouteTable(List<Route> routes) {
    List<Route> e = new ArrayList<>();
    List<Route> w = new ArrayList<>();
    List<Route> d = new ArrayList<>();
    for (Route r : routes) {
      (r.location().isDefault() ? d : r.location().isWildcard() ? w : e).add(r);
    }
    // Longer path first, then a specific port before "any port".
    Comparator<Route> specificFirst =
        Comparator.<Route>comparingInt(r -> -r.location().path().length())
            .thenComparingInt(r -> r.location().port() == 0 ? 1 : 0);
    e.sort(specificFirst);
    d.sort(specificFirst);
    w.sort(
        Comparator.<Route>comparingInt(r -> -r.location().host().length())
            .thenComparing(specificFirst));
    this.exact = List.copyOf(e);
    this.wildcards = List.copyOf(w);
    this.defaults = List.copyOf(d);
  }

  /**
   * Routes a request for {@code hostHeader} (port included or not) at {@code port} and {@code
   * path}.
   */
  public Optional<RouteMatch> match(String hostHeader, int port, String path) {
    String host = normalizeHost(hostHeader);
    Optional<RouteMatch> m = matchHost(List.of(exact), host, port, path, false);
    if (m.isEmpty() && host.startsWith(PREVIOUS_PREFIX)) {
      String served = host.substring(PREVIOUS_PREFIX.length());
      m = matchHost(List.of(exact, wildcards, defaults), served, port, path, true);
    }
    if (m.isEmpty()) {
      m = matchHost(List.of(wildcards, defaults), host, port, path, false);
    }
    return m;
  }

  private Optional<RouteMatch> matchHost(
      List<List<Route>> tiers, String host, int port, String path, boolean previous) {
    for (List<Route> tier : tiers) {
      for (Route r : tier) {
        Location loc = r.location();
        if (loc.port() != 0 && loc.port() != port) {
          continue;
        }
        if (tier == exact && !loc.host().equals(host)) {
          continue;
        }
        if (tier == wildcards && !loc.coversHost(host)) {
          continue;
        }
        if (!loc.coversPath(path)) {
          continue;
        }
        String instance = previous ? r.previous() : r.active();
        if (instance == null) {
          // The location that serves HOST has no previous instance: prev.HOST is not special then.
          if (previous) {
            return Optional.empty();
          }
          continue;
        }
        String rest = loc.path().equals("/") ? path : path.substring(loc.path().length());
        return Optional.of(new RouteMatch(r, instance, previous, rest.isEmpty() ? "/" : rest));
      }
    }
    return Optional.empty();
  }

  static String normalizeHost(String hostHeader) {
    if (hostHeader == null) {
      return "";
    }
    String h = hostHeader.toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(0, end + 1);
    }
    int colon = h.indexOf(':');
    if (colon >= 0) {
      h = h.substring(0, colon);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }
}

package org.silverlining.node.balancer;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.silverlining.core.Location;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.errors.NotFoundException;
import org.silverlining.node.front.Route;
import org.silverlining.node.front.RouteMatch;
import org.silverlining.node.front.RouteTable;
import org.silverlining.node.state.StateStore;

/**
 * The balancer role of a node: the locations it spreads over the fronts of a nodeset's app servers,
 * kept in {@code state.db} (so the role survives restarts) and published as one immutable table, as
 * the front's own routing is; and, on an app server, the balancers whose {@code X-Forwarded-*}
 * headers its front keeps. Locations are matched with the front's own {@link RouteTable} rules. An
 * app server's health is shared by every location that uses it.
 */
public final class Balancer {
  private final StateStore state;
  private final Map<String, Upstream> upstreams = new HashMap<>();
  private volatile Table table = new Table(RouteTable.EMPTY, Map.of());
  private volatile Set<String> trusted;

  /** The balanced locations, and the route table that finds them. */
  private record Table(RouteTable routes, Map<String, BalancedLocation> byLocation) {}

  /** One balanced location and its app servers, each with whether it is in rotation. */
  public record LocationView(String location, String nodeset, List<UpstreamView> upstreams) {}

  public record UpstreamView(String address, boolean healthy) {}

  public Balancer(StateStore state) throws SQLException {
    this.state = state;
    publish();
  }

  /** The balanced location for a request, or null when it is not for one. */
  BalancedLocation match(String host, int port, String path) {
    Table t = table;
    return t.routes()
        .match(host, port, path)
        .map(RouteMatch::route)
        .map(r -> t.byLocation().get(r.location().toString()))
        .orElse(null);
  }

  /** Whether this node balances any location: the health checks run only then. */
  boolean isBalancing() {
    return !table.byLocation().isEmpty();
  }

  /** Every app server some location uses. */
  synchronized Collection<Upstream> upstreams() {
    return List.copyOf(upstreams.values());
  }

  /**
   * Spreads {@code location} over {@code addresses} (the fronts of {@code nodeset}'s app servers,
   * {@code HOST:PORT}) from now on, replacing what it was spread over.
   */
  public synchronized LocationView route(String location, String nodeset, List<String> addresses)
      throws SQLException {
    Location where;
    try {
      where = Location.parse(location);
    } catch (IllegalArgumentException e) {
      throw new InvalidParameterException("location", e.getMessage());
    }
    if (addresses.isEmpty()) {
      throw new InvalidParameterException("upstreams", "name at least one app server HOST:PORT");
    }
    for (String a : addresses) {
      try {
        Upstream.parse(a);
      } catch (IllegalArgumentException e) {
        throw new InvalidParameterException("upstreams", e.getMessage());
      }
    }
    state.putBalanced(new StateStore.BalancedRecord(where.toString(), nodeset, addresses));
    publish();
    return view(table.byLocation().get(where.toString()));
  }

  /** Stops balancing {@code location}. */
  public synchronized void remove(String location) throws SQLException {
    if (!state.removeBalanced(location)) {
      throw new NotFoundException("this node does not balance " + location);
    }
    publish();
  }

  /** The balanced locations with the health of their app servers. */
  public List<LocationView> locations() {
    return table.byLocation().values().stream().map(Balancer::view).toList();
  }

  /** From now on the front keeps the forwarded headers of requests from {@code address}. */
  public synchronized void trust(String nodeset, String address) throws SQLException {
    if (address == null || address.isBlank() || address.contains(" ")) {
      throw new InvalidParameterException("address", "address is the balancer's IP address");
    }
    state.putTrustedBalancer(nodeset, address);
    publish();
  }

  /** The balancers trusted, by nodeset. */
  public Map<String, String> trusted() throws SQLException {
    return state.trustedBalancers();
  }

  /** Whether a request from {@code remoteAddress} comes from a trusted balancer. */
  public boolean trusts(String remoteAddress) {
    return trusted.contains(remoteAddress);
  }

  private void publish() throws SQLException {
    List<Route> routes = new ArrayList<>();
    Map<String, BalancedLocation> byLocation = new LinkedHashMap<>();
    Map<String, Upstream> used = new HashMap<>();
    for (StateStore.BalancedRecord r : state.balanced()) {
      Location where = Location.parse(r.location());
      List<Upstream> list = new ArrayList<>();
      for (String a : r.upstreams()) {
        // The same app server keeps its health across changes and locations.
        Upstream u = upstreams.containsKey(a) ? upstreams.get(a) : Upstream.parse(a);
        used.put(a, u);
        list.add(u);
      }
      routes.add(new Route(where, r.nodeset(), "balanced", null));
      byLocation.put(where.toString(), new BalancedLocation(where, r.nodeset(), list));
    }
    upstreams.clear();
    upstreams.putAll(used);
    table = new Table(new RouteTable(routes), Map.copyOf(byLocation));
    trusted = Set.copyOf(state.trustedBalancers().values());
  }

  private static LocationView view(BalancedLocation b) {
    return new LocationView(
        b.location().toString(),
        b.nodeset(),
        b.upstreams().stream().map(u -> new UpstreamView(u.address(), u.healthy())).toList());
  }
}

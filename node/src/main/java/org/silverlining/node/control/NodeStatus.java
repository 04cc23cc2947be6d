package org.silverlining.node.control;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.silverlining.core.Location;
import org.silverlining.node.errors.RefusedException;
import org.silverlining.node.front.LiveInstance;
import org.silverlining.node.instance.InstanceManager;
import org.silverlining.node.middleware.Middlewares;
import org.silverlining.node.monitor.LiveLocation;
import org.silverlining.node.process.AppProcess;
import org.silverlining.node.state.StateStore;
import org.silverlining.node.staticfiles.StaticUrls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the node is and serves, as the management API shows it: the node itself, its apps with their
 * instances and processes, and the locations with the URLs that reach them.
 */
public final class NodeStatus {
  private static final Logger log = LoggerFactory.getLogger(NodeStatus.class);

  private final String name;
  private final String version;
  private final String software;
  private final IntSupplier httpPort;
  private final StateStore state;
  private final Locations locations;
  private final InstanceManager instances;
  private final Middlewares middlewares;
  private final StaticUrls staticUrls;

  public NodeStatus(
      String name,
      String version,
      String software,
      IntSupplier httpPort,
      StateStore state,
      Locations locations,
      InstanceManager instances,
      Middlewares middlewares,
      StaticUrls staticUrls) {
    this.name = name;
    this.version = version;
    this.software = software;
    this.httpPort = httpPort;
    this.state = state;
    this.locations = locations;
    this.instances = instances;
    this.middlewares = middlewares;
    this.staticUrls = staticUrls;
  }

  /** The node: name, version, front port, software fingerprint, process id. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record About(String node, String version, int httpPort, String software, long pid) {}

  public About describe() {
    return new About(name, version, httpPort.getAsInt(), software, ProcessHandle.current().pid());
  }

  /**
   * Every app with its instances and their processes, and every location served with the names of
   * its middleware packs in order.
   */
  public Map<String, Object> query() throws SQLException {
    List<Map<String, Object>> apps = new ArrayList<>();
    for (String app : state.apps()) {
      List<Map<String, Object>> list = new ArrayList<>();
      for (StateStore.InstanceRecord r : state.instancesOf(app)) {
        list.add(instance(r));
      }
      apps.add(
          Map.of("name", app, "disabled", state.disabledApps().contains(app), "instances", list));
    }
    List<Map<String, Object>> served = new ArrayList<>();
    Map<String, List<String>> packs = middlewares.names();
    for (StateStore.LocationRecord l : state.locations()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("location", l.location());
      m.put("app", l.app());
      m.put("active", l.active());
      m.put("previous", l.previous());
      m.put("urls", urlsOf(l.location()));
      m.put("middleware", packs.getOrDefault(l.location(), List.of()));
      m.put("static_url", staticUrlOf(l.active()));
      served.add(m);
    }
    return Map.of("node", name, "apps", apps, "locations", served);
  }

  private Map<String, Object> instance(StateStore.InstanceRecord r) {
    Map<String, Object> i = new LinkedHashMap<>();
    i.put("name", r.name());
    i.put("status", r.status());
    i.put("location", r.location());
    i.put("created", r.created());
    i.put("detail", r.detail());
    LiveInstance live = instances.running(r.name());
    List<Map<String, Object>> procs = new ArrayList<>();
    if (live != null && live.processes() != null) {
      for (AppProcess p : live.processes().processes()) {
        procs.add(
            Map.of(
                "port",
                p.port(),
                "pid",
                p.pid(),
                "state",
                p.state().name().toLowerCase(),
                "restarts",
                p.restarts()));
      }
    }
    i.put("running", live != null);
    i.put("processes", procs);
    return i;
  }

  /** {@code $STATIC_URL} of the active instance, or null (none, or its files cannot be read). */
  private String staticUrlOf(String instance) throws SQLException {
    if (instance == null) {
      return null;
    }
    try {
      return staticUrls.of(instance);
    } catch (IOException | RuntimeException e) {
      log.warn("cannot tell the static URL of {}: {}", instance, e.toString());
      return null;
    }
  }

  /** Every location with the instance running for it now, for the monitor's pings. */
  public List<LiveLocation> liveLocations() {
    List<LiveLocation> out = new ArrayList<>();
    try {
      for (StateStore.LocationRecord l : state.locations()) {
        LiveInstance live = l.active() == null ? null : instances.running(l.active());
        if (live != null) {
          out.add(new LiveLocation(l.location(), l.app(), live));
        }
      }
    } catch (SQLException e) {
      log.warn("the monitor cannot read the locations: {}", e.toString());
    }
    return out;
  }

  /** URLs that reach {@code location} through this node's front. */
  public List<String> urlsOf(String location) {
    Location l = Location.parse(location);
    int port = l.port() != 0 ? l.port() : httpPort.getAsInt();
    String path = l.path().equals("/") ? "/" : l.path() + "/";
    String host = l.isDefault() || l.isWildcard() ? "127.0.0.1" : l.host();
    return List.of("http://" + host + ":" + port + path);
  }

  /** The app deployed at {@code location}. */
  public String appAt(String location) throws RefusedException, SQLException {
    return locations.record(location).app();
  }
}

package org.silverlining.node.service;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.silverlining.core.AppConfig;

/**
 * The services node's side of a nodeset: provisions an app's server-backed services ({@link
 * Service#usesServer}) on this node's servers, for app servers elsewhere, and hands back their
 * {@code CONFIG_*} variables with the server's address as the app servers reach it. Provisioning is
 * the node's usual one, with the credentials kept here, so every app server gets the same ones
 * however often the app is updated.
 *
 * <p>The address is {@code advertise_host} (and {@code advertise_port}) of {@code [service.NAME]}
 * when set; else the server's {@code host}, unless that is a loopback address, which means "this
 * machine": then the address the CLI reached this node at.
 */
public final class ServiceProvider {
  private final AppServices local;

  public ServiceProvider(AppServices local) {
    this.local = local;
  }

  /**
   * Provisions {@code config}'s server-backed services and returns their variables by service name;
   * {@code nodeHost} is this node's address as the app servers reach it.
   */
  public Map<String, Map<String, String>> provide(AppConfig config, String nodeHost)
      throws ServiceException {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (Services.Bound b : local.bind(config)) {
      if (!b.service().usesServer()) {
        continue;
      }
      b.service().provision(b.scope());
      ServiceScope s = b.scope();
      ServiceScope seen =
          new ServiceScope(
              s.app(),
              s.alias(),
              s.options(),
              s.mode(),
              advertised(s.server(), nodeHost),
              s.dataDir(),
              s.secrets());
      out.put(b.service().name(), b.service().environment(seen));
    }
    return out;
  }

  /** The names of {@code config}'s services this node would provide. */
  public List<String> providable(AppConfig config) throws ServiceException {
    return local.bind(config).stream()
        .filter(b -> b.service().usesServer())
        .map(b -> b.service().name())
        .toList();
  }

  /**
   * The server settings {@code server} with {@code host} and {@code port} as the app servers reach
   * the server.
   */
  static Map<String, String> advertised(Map<String, String> server, String nodeHost) {
    Map<String, String> out = new LinkedHashMap<>(server);
    String host = server.getOrDefault("host", "127.0.0.1").strip();
    String advertised = server.getOrDefault("advertise_host", "").strip();
    if (!advertised.isEmpty()) {
      out.put("host", advertised);
    } else if (isLoopback(host)) {
      out.put("host", nodeHost);
    }
    String port = server.getOrDefault("advertise_port", "").strip();
    if (!port.isEmpty()) {
      out.put("port", port);
    }
    return out;
  }

  /** Whether {@code host} names this machine only: {@code localhost} or a loopback address. */
  static boolean isLoopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")) {
      return false; // a name: not resolved here
    }
    try {
      return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}

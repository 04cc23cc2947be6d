package org.silverlining.node.service;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.silverlining.core.AppConfig;

/**
 * The services a node offers, by name and alias, and the one place that turns an app's {@code
 * service.*} lines into scopes, provisions them and gathers their variables.
 */
public final class Services {
  private final Map<String, Service> byName = new LinkedHashMap<>();

  public Services(List<Service> services) {
    for (Service s : services) {
      byName.put(s.name(), s);
      s.aliases().forEach(a -> byName.put(a, s));
    }
  }

  /** Every service this product has. */
  public static Services standard() {
    return new Services(
        List.of(
            new FilesService(),
            new WritableRootService(),
            new SqliteService(),
            new PostgresService(),
            new MysqlService(),
            new RedisService()));
  }

  public Service find(String name) throws ServiceException {
    Service s = byName.get(name);
    if (s == null) {
      throw new ServiceException(
          "unknown service '"
              + name
              + "'; the services are: "
              + String.join(", ", new TreeSet<>(byName.keySet())));
    }
    return s;
  }

  /** A service with the scope it acts in for one app. */
  public record Bound(Service service, ServiceScope scope) {}

  /**
   * The app's services, each with its scope. {@code servers} holds the server settings by service
   * name ({@code [service.NAME]} of node.ini, with development overrides).
   */
  public List<Bound> bind(
      AppConfig config,
      ServiceMode mode,
      Path dataDir,
      Map<String, Map<String, String>> servers,
      ServiceSecrets secrets)
      throws ServiceException {
    List<Bound> out = new ArrayList<>();
    for (Map.Entry<String, String> e : config.services().entrySet()) {
      Service s = find(e.getKey());
      Map<String, String> options;
      try {
        options = ServiceScope.parseOptions(e.getValue());
      } catch (IllegalArgumentException ex) {
        throw new ServiceException("service." + e.getKey() + ": " + ex.getMessage());
      }
      for (String key : options.keySet()) {
        if (!s.options().contains(key)) {
          throw new ServiceException(
              "service."
                  + e.getKey()
                  + ": unknown option '"
                  + key
                  + "'"
                  + (s.options().isEmpty()
                      ? "; it takes none"
                      : "; it takes " + String.join(", ", s.options())));
        }
      }
      Map<String, String> server = new LinkedHashMap<>(servers.getOrDefault(s.name(), Map.of()));
      if (!e.getKey().equals(s.name())) {
        server.putAll(servers.getOrDefault(e.getKey(), Map.of()));
      }
      out.add(
          new Bound(
              s,
              new ServiceScope(
                  config.appName(), e.getKey(), options, mode, server, dataDir, secrets)));
    }
    return out;
  }

  /** The {@code CONFIG_*} variables of all of {@code bound}. */
  public static Map<String, String> environment(List<Bound> bound) throws ServiceException {
    Map<String, String> env = new LinkedHashMap<>();
    for (Bound b : bound) {
      env.putAll(b.service().environment(b.scope()));
    }
    return env;
  }
}

package org.silverlining.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A nodeset file ({@code site.nodeset}): the registered nodes one app runs on as one site. Its one
 * section, {@code [nodeset]}, names the set, its app servers (each runs every instance; the first
 * runs {@code update_fetch} and {@code migrate_fetch}), an optional balancer (the node that spreads
 * requests over the app servers) and an optional services node (whose PostgreSQL, MariaDB and Redis
 * the app servers share).
 *
 * <pre>
 * [nodeset]
 * name = site
 * appservers = app1 app2
 * balancer = lb
 * services = db
 * redis = redis://10.0.0.5:6379/2
 * </pre>
 *
 * @param balancer the balancer's node name, or null when requests reach the app servers otherwise
 * @param services the services node's name, or null when each app server uses its own services
 * @param redis the nodeset's Redis ({@code redis://[user:password@]host:port[/db]}), which holds
 *     the lease that has one app server run the cron jobs; null when each app server runs them
 */
public record Nodeset(
    String name,
    List<String> appServers,
    String balancer,
    String services,
    String source,
    String redis) {
  /** The extension that makes {@code silver update APP FILE} read FILE as a nodeset. */
  public static final String EXTENSION = ".nodeset";

  public static final String SECTION = "nodeset";

  /** Node names as the CLI registry accepts them. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

  private static final Set<String> KEYS =
      Set.of("name", "appservers", "balancer", "services", "redis");

  public Nodeset {
    appServers = List.copyOf(appServers);
  }

  /** A nodeset without a Redis of its own. */
  public Nodeset(
      String name, List<String> appServers, String balancer, String services, String source) {
    this(name, appServers, balancer, services, source, null);
  }

  /** Whether {@code argument} names a nodeset file rather than a node or a location. */
  public static boolean isNodesetFile(String argument) {
    return argument != null && argument.endsWith(EXTENSION);
  }

  /** Reads {@code file}; an unusable file is an {@link InvalidConfigException} naming its line. */
  public static Nodeset load(Path file) throws IOException {
    return parse(IniFile.read(file));
  }

  /** The nodeset in {@code ini}. */
  public static Nodeset parse(IniFile ini) {
    String source = ini.source();
    if (!ini.hasSection(SECTION)) {
      throw new InvalidConfigException(
          source, 0, "no [nodeset] section; a nodeset file names name, appservers and balancer");
    }
    for (String other : ini.sectionNames()) {
      if (!other.equals(SECTION)) {
        throw new InvalidConfigException(
            source, 0, "unknown section [" + other + "]; a nodeset file has only [nodeset]");
      }
    }
    Map<String, IniFile.Entry> entries = ini.section(SECTION);
    for (IniFile.Entry e : ini.entries(SECTION)) {
      if (!KEYS.contains(e.key())) {
        throw new InvalidConfigException(
            source,
            e.line(),
            "unknown key '"
                + e.key()
                + "'; [nodeset] knows name, appservers, balancer, services, redis");
      }
    }
    IniFile.Entry nameEntry = required(ini, entries, "name");
    String name = nameEntry.value().strip();
    if (!NAME.matcher(name).matches()) {
      throw new InvalidConfigException(
          source,
          nameEntry.line(),
          "name '"
              + name
              + "' must be letters, digits, '.', '_' or '-', starting with one of the"
              + " first two");
    }
    IniFile.Entry serversEntry = required(ini, entries, "appservers");
    List<String> servers = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (String s : serversEntry.value().split("[\\s,]+")) {
      if (s.isEmpty()) {
        continue;
      }
      nodeName(source, serversEntry, s);
      if (!seen.add(s)) {
        throw new InvalidConfigException(
            source, serversEntry.line(), "appservers names '" + s + "' twice");
      }
      servers.add(s);
    }
    if (servers.isEmpty()) {
      throw new InvalidConfigException(
          source, serversEntry.line(), "appservers is empty; name at least one node");
    }
    String balancer = single(source, entries.get("balancer"));
    String services = single(source, entries.get("services"));
    if (balancer != null && seen.contains(balancer)) {
      throw new InvalidConfigException(
          source,
          entries.get("balancer").line(),
          "the balancer '" + balancer + "' is also an app server; give it a node of its own");
    }
    return new Nodeset(name, servers, balancer, services, source, redis(source, entries));
  }

  private static String redis(String source, Map<String, IniFile.Entry> entries) {
    IniFile.Entry e = entries.get("redis");
    if (e == null || e.value().isBlank()) {
      return null;
    }
    String v = e.value().strip();
    java.net.URI u;
    try {
      u = new java.net.URI(v);
    } catch (java.net.URISyntaxException ex) {
      u = null;
    }
    if (u == null || !"redis".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
      throw new InvalidConfigException(
          source,
          e.line(),
          "redis: '" + v + "' is not a redis://[user:password@]host:port[/db] URL");
    }
    return v;
  }

  /** Every node the nodeset names, each once: app servers, then the balancer and services node. */
  public List<String> nodes() {
    Set<String> all = new LinkedHashSet<>(appServers);
    Optional.ofNullable(balancer).ifPresent(all::add);
    Optional.ofNullable(services).ifPresent(all::add);
    return List.copyOf(all);
  }

  /** The app server that runs {@code update_fetch} and {@code migrate_fetch}: the first. */
  public String first() {
    return appServers.get(0);
  }

  private static IniFile.Entry required(
      IniFile ini, Map<String, IniFile.Entry> entries, String key) {
    IniFile.Entry e = entries.get(key);
    if (e == null || e.value().isBlank()) {
      throw new InvalidConfigException(
          ini.source(),
          e == null ? 0 : e.line(),
          "[nodeset] needs '" + key + " = …'" + (key.equals("name") ? "" : " (node names)"));
    }
    return e;
  }

  private static String single(String source, IniFile.Entry e) {
    if (e == null || e.value().isBlank()) {
      return null;
    }
    String v = e.value().strip();
    if (v.split("[\\s,]+").length > 1) {
      throw new InvalidConfigException(
          source, e.line(), e.key() + " names one node, not '" + v + "'");
    }
    nodeName(source, e, v);
    return v;
  }

  private static void nodeName(String source, IniFile.Entry e, String name) {
    if (!NAME.matcher(name).matches()) {
      throw new InvalidConfigException(
          source, e.line(), e.key() + ": '" + name + "' is not a node name");
    }
  }
}

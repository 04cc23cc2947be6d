package org.silverlining.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.silverlining.core.IniFile;
import org.silverlining.core.InvalidConfigException;
import org.silverlining.node.logs.LogLimits;
import org.silverlining.node.tasks.SqliteTaskStore;
import org.silverlining.node.tls.TlsSettings;

/**
 * A node's {@code node.ini}: its name, the addresses of its public front and its admin API, and the
 * servers of its services ({@code [service.postgresql]} host, port, user...).
 *
 * @param http the front's {@code host:port}; port 0 picks a free one
 * @param admin the management API's {@code host:port}; loopback unless said otherwise
 * @param services settings by service name, from the {@code [service.NAME]} sections
 * @param tasks the {@code [tasks]} section: {@code backend} is where tasks are kept
 * @param logs the {@code [logs]} section: how large the node's log files grow and how many are kept
 * @param https the front's TLS listener {@code host:port}, or null for none
 * @param adminTls whether the management API speaks TLS (always, when it is not on loopback)
 * @param tls the {@code [tls]} section: where automatic certificates come from
 */
public record NodeSettings(
    String name,
    HostPort http,
    HostPort admin,
    Map<String, Map<String, String>> services,
    Map<String, String> tasks,
    LogLimits logs,
    HostPort https,
    boolean adminTls,
    TlsSettings tls) {
  private static final String SERVICE_PREFIX = "service.";
  private static final String TASKS = "tasks";
  private static final String LOGS = "logs";
  private static final String TLS = "tls";
  public static final HostPort DEFAULT_HTTP = new HostPort("0.0.0.0", 8080);
  public static final HostPort DEFAULT_ADMIN = new HostPort("127.0.0.1", 8081);

  /** A listening address, {@code host:port}. */
  public record HostPort(String host, int port) {
    public static HostPort parse(String text) {
      String t = text.strip();
      int colon = t.lastIndexOf(':');
      try {
        if (colon < 0) {
          return new HostPort("127.0.0.1", Integer.parseInt(t));
        }
        int port = Integer.parseInt(t.substring(colon + 1));
        if (port < 0 || port > 65535) {
          throw new NumberFormatException();
        }
        String host = t.substring(0, colon);
        return new HostPort(host.isEmpty() ? "0.0.0.0" : host, port);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "'" + text + "' is not an address like 127.0.0.1:8080 or :8080");
      }
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  /** Settings without service servers: every service uses its defaults. */
  public NodeSettings(String name, HostPort http, HostPort admin) {
    this(name, http, admin, Map.of());
  }

  /** Settings with the default task store, the node's SQLite. */
  public NodeSettings(
      String name, HostPort http, HostPort admin, Map<String, Map<String, String>> services) {
    this(name, http, admin, services, Map.of());
  }

  /** Settings with the default log limits. */
  public NodeSettings(
      String name,
      HostPort http,
      HostPort admin,
      Map<String, Map<String, String>> services,
      Map<String, String> tasks) {
    this(name, http, admin, services, tasks, LogLimits.DEFAULT);
  }

  /** Settings without HTTPS. */
  public NodeSettings(
      String name,
      HostPort http,
      HostPort admin,
      Map<String, Map<String, String>> services,
      Map<String, String> tasks,
      LogLimits logs) {
    this(name, http, admin, services, tasks, logs, null, false, TlsSettings.DEFAULT);
  }

  /**
   * Whether the management API is served over TLS: when asked, and always when it listens beyond
   * loopback, where its bearer token would cross the network.
   */
  public boolean adminOverTls() {
    return adminTls || !isLoopback(admin.host());
  }

  /** True for an address only this machine reaches. */
  public static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  /**
   * The {@code [tasks] backend}: {@code redis://[user:password@]host:port[/db]}, or empty for the
   * node's SQLite.
   */
  public java.util.Optional<String> tasksBackend() {
    String b = tasks.get("backend");
    return b == null || b.isBlank() || b.strip().equalsIgnoreCase("sqlite")
        ? java.util.Optional.empty()
        : java.util.Optional.of(b.strip());
  }

  /**
   * The {@code [tasks] sync} of the SQLite store: {@code everysec} (the default) or {@code always}.
   */
  public SqliteTaskStore.Sync tasksSync() {
    String s = tasks.get("sync");
    return s == null || s.isBlank() ? SqliteTaskStore.Sync.EVERYSEC : SqliteTaskStore.Sync.parse(s);
  }

  public static NodeSettings load(Path file) throws IOException {
    IniFile ini = IniFile.read(file);
    String name = ini.get("node", "name").orElse("local");
    Map<String, Map<String, String>> services = new LinkedHashMap<>();
    for (String section : ini.sectionNames()) {
      if (section.startsWith(SERVICE_PREFIX)) {
        Map<String, String> values = new LinkedHashMap<>();
        ini.section(section).forEach((k, e) -> values.put(k, e.value()));
        services.put(section.substring(SERVICE_PREFIX.length()), values);
      }
    }
    Map<String, String> tasks = new LinkedHashMap<>();
    if (ini.sectionNames().contains(TASKS)) {
      ini.section(TASKS).forEach((k, e) -> tasks.put(k, e.value()));
      ini.entry(TASKS, "sync")
          .ifPresent(
              e -> {
                try {
                  SqliteTaskStore.Sync.parse(e.value());
                } catch (IllegalArgumentException x) {
                  throw new InvalidConfigException(file.toString(), e.line(), x.getMessage());
                }
              });
    }
    return new NodeSettings(
        name,
        address(ini, "http", DEFAULT_HTTP),
        address(ini, "admin", DEFAULT_ADMIN),
        Map.copyOf(services),
        Map.copyOf(tasks),
        logLimits(ini),
        address(ini, "https", null),
        ini.get("node", "admin_tls").map(v -> v.strip().equalsIgnoreCase("true")).orElse(false),
        tlsSettings(ini, file));
  }

  private static TlsSettings tlsSettings(IniFile ini, Path file) {
    Map<String, String> tls = new LinkedHashMap<>();
    if (ini.sectionNames().contains(TLS)) {
      ini.section(TLS).forEach((k, e) -> tls.put(k, e.value()));
    }
    try {
      return TlsSettings.of(tls);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(file.toString(), 0, "[tls]: " + e.getMessage());
    }
  }

  /** The {@code [logs]} section, {@link LogLimits#DEFAULT} for what it does not say. */
  private static LogLimits logLimits(IniFile ini) {
    long maxBytes = LogLimits.DEFAULT.maxBytes();
    int keep = LogLimits.DEFAULT.keep();
    var size = ini.entry(LOGS, "max_size");
    var count = ini.entry(LOGS, "keep");
    try {
      if (size.isPresent()) {
        maxBytes = LogLimits.parseSize(size.get().value());
      }
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(
          ini.source(), size.get().line(), "max_size: " + e.getMessage());
    }
    try {
      if (count.isPresent()) {
        keep = Integer.parseInt(count.get().value().strip());
      }
    } catch (NumberFormatException e) {
      throw new InvalidConfigException(
          ini.source(), count.get().line(), "keep: '" + count.get().value() + "' is not a number");
    }
    try {
      return new LogLimits(maxBytes, keep);
    } catch (IllegalArgumentException e) {
      int line = e.getMessage().startsWith("keep") ? count.get().line() : size.get().line();
      throw new InvalidConfigException(ini.source(), line, e.getMessage());
    }
  }

  private static HostPort address(IniFile ini, String key, HostPort fallback) {
    return ini.entry("node", key)
        .map(
            e -> {
              try {
                return HostPort.parse(e.value());
              } catch (IllegalArgumentException ex) {
                throw new InvalidConfigException(ini.source(), e.line(), ex.getMessage());
              }
            })
        .orElse(fallback);
  }

  public void save(Path file) throws IOException {
    Map<String, String> node = new LinkedHashMap<>();
    node.put("name", name);
    node.put("http", http.toString());
    node.put("admin", admin.toString());
    if (https != null) {
      node.put("https", https.toString());
    }
    if (adminTls) {
      node.put("admin_tls", "true");
    }
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    sections.put("node", node);
    services.forEach((service, values) -> sections.put(SERVICE_PREFIX + service, values));
    if (!tasks.isEmpty()) {
      sections.put(TASKS, tasks);
    }
    if (!tls.toSection().isEmpty()) {
      sections.put(TLS, tls.toSection());
    }
    keepOtherSections(file, sections);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(
        tmp,
        "# Settings of this silver node; `silver node start --http/--admin` updates them.\n"
            + IniFile.render(sections));
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Sections read by other parts of the node ({@code [backup]}) survive a save. */
  private static void keepOtherSections(Path file, Map<String, Map<String, String>> sections)
      throws IOException {
    if (!Files.isRegularFile(file)) {
      return;
    }
    IniFile old = IniFile.read(file);
    for (String section : old.sectionNames()) {
      if (!sections.containsKey(section)
          && !section.equals("node")
          && !section.equals(TASKS)
          && !section.equals(TLS)
          && !section.startsWith(SERVICE_PREFIX)) {
        Map<String, String> values = new LinkedHashMap<>();
        old.section(section).forEach((k, e) -> values.put(k, e.value()));
        sections.put(section, values);
      }
    }
  }

  public NodeSettings withHttp(HostPort a) {
    return new NodeSettings(name, a, admin, services, tasks, logs, https, adminTls, tls);
  }

  public NodeSettings withAdmin(HostPort a) {
    return new NodeSettings(name, http, a, services, tasks, logs, https, adminTls, tls);
  }

  public NodeSettings withHttps(HostPort a) {
    return new NodeSettings(name, http, admin, services, tasks, logs, a, adminTls, tls);
  }

  public NodeSettings withAdminTls(boolean on) {
    return new NodeSettings(name, http, admin, services, tasks, logs, https, on, tls);
  }

  public NodeSettings withTls(TlsSettings t) {
    return new NodeSettings(name, http, admin, services, tasks, logs, https, adminTls, t);
  }

  public NodeSettings withName(String n) {
    return new NodeSettings(n, http, admin, services, tasks, logs, https, adminTls, tls);
  }
}

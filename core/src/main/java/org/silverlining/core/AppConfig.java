package org.silverlining.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An application's {@code app.ini}, validated: the {@code [production]} section, with {@code
 * [devel]} laid over it for local development.
 *
 * @param warnings unknown keys and other things worth saying that do not stop a deploy
 */
public record AppConfig(
    String appName,
    Runtime runtime,
    String runner,
    String javaOptions,
    String classpath,
    int processes,
    String health,
    String defaultLocation,
    List<String> updateFetch,
    Map<String, String> env,
    Map<String, String> services,
    Map<String, String> settings,
    List<String> warnings) {

  public static final String FILE_NAME = "app.ini";
  public static final int MAX_PROCESSES = 64;
  private static final Pattern APP_NAME = Pattern.compile("[a-z][a-z0-9-]*");

  /** App names may not start with this: `silver test` names its throw-away databases test_APP. */
  public static final String RESERVED_PREFIX = "test-";

  /** The key of a base URL (a CDN) that replaces the node in {@code $STATIC_URL}. */
  public static final String STATIC_URL = "static_url";

  /** Keys understood in {@code [production]} and {@code [devel]}, besides the prefixed ones. */
  private static final Set<String> KNOWN_KEYS =
      Set.of(
          "app_name",
          "runtime",
          "platform",
          "php_root",
          "runner",
          "java_options",
          "classpath",
          "processes",
          "health",
          "health_failures",
          "ping",
          "ping_interval",
          "default_location",
          "update_fetch",
          "migrate_fetch",
          "test_fetch",
          "test_command",
          "build",
          "packages",
          "https",
          "hsts",
          "static_url",
          CdnTarget.KEY);

  private static final List<String> KNOWN_PREFIXES =
      List.of("env.", "service.", "config.", "backup.");

  /** Reads {@code APP_DIR/app.ini}; {@code devel} lays the {@code [devel]} section over it. */
  public static AppConfig load(Path appDir, boolean devel) throws IOException {
    Path file = appDir.resolve(FILE_NAME);
    try {
      return parse(IniFile.read(file), devel);
    } catch (NoSuchFileException e) {
      throw new InvalidConfigException(
          file.toString(), 0, "no app.ini here; create one with: silver init " + appDir);
    }
  }

  public static AppConfig parse(IniFile ini, boolean devel) {
    String src = ini.source();
    if (!ini.hasSection("production")) {
      throw new InvalidConfigException(
          src,
          0,
          "no [production] section; an app.ini starts with [production] and app_name = ...");
    }
    Map<String, IniFile.Entry> merged = new LinkedHashMap<>(ini.section("production"));
    if (devel) {
      merged.putAll(ini.section("devel"));
    }
    List<String> warnings = new ArrayList<>();
    Map<String, String> env = new LinkedHashMap<>();
    Map<String, String> services = new LinkedHashMap<>();
    Map<String, String> settings = new LinkedHashMap<>();
    for (IniFile.Entry e : merged.values()) {
      String key = e.key();
      if (key.startsWith("env.")) {
        env.put(e.key().substring(4).toUpperCase(java.util.Locale.ROOT), e.value());
      } else if (key.startsWith("service.")) {
        services.put(key.substring(8), e.value());
      } else if (KNOWN_PREFIXES.stream().anyMatch(key::startsWith) || KNOWN_KEYS.contains(key)) {
        settings.put(key, e.value());
      } else {
        warnings.add(src + ":" + e.line() + ": unknown key '" + key + "' is ignored");
      }
    }
    checkBackupSettings(merged, src, warnings);
    String appName = required(merged, "app_name", src, ini);
    if (!APP_NAME.matcher(appName).matches()) {
      throw new InvalidConfigException(
          src,
          merged.get("app_name").line(),
          "app_name '" + appName + "' must match [a-z][a-z0-9-]* (lower case, e.g. guestbook)");
    }
    if (appName.startsWith(RESERVED_PREFIX)) {
      throw new InvalidConfigException(
          src,
          merged.get("app_name").line(),
          "app_name '"
              + appName
              + "' starts with '"
              + RESERVED_PREFIX
              + "', which is kept for the databases of `silver test` (test_APP); choose another name");
    }
    String runner = value(merged, "runner");
    Runtime runtime = runtimeOf(merged, runner, src);
    if (runtime != Runtime.STATIC && runner.isEmpty()) {
      throw new InvalidConfigException(
          src,
          0,
          "runtime = "
              + runtime.id()
              + " needs a runner (e.g. runner = "
              + (runtime == Runtime.JAVA ? "target/app.jar" : "python3 app.py")
              + ")");
    }
    int processes = 1;
    IniFile.Entry p = merged.get("processes");
    if (p != null) {
      try {
        processes = Integer.parseInt(p.value());
      } catch (NumberFormatException ex) {
        processes = -1;
      }
      if (processes < 1 || processes > MAX_PROCESSES) {
        throw new InvalidConfigException(
            src, p.line(), "processes must be a number from 1 to " + MAX_PROCESSES);
      }
    }
    checkMonitoring(merged, src);
    String health = value(merged, "health");
    if (!health.isEmpty() && !health.startsWith("/")) {
      throw new InvalidConfigException(
          src, merged.get("health").line(), "health must be a path starting with /, e.g. /ping");
    }
    String defaultLocation = value(merged, "default_location");
    if (!defaultLocation.isEmpty()) {
      try {
        Location.parse(defaultLocation);
      } catch (IllegalArgumentException ex) {
        throw new InvalidConfigException(
            src, merged.get("default_location").line(), ex.getMessage());
      }
    }
    checkHttps(merged, src);
    checkStaticUrl(merged, src);
    checkCdn(merged, src);
    List<String> updateFetch = urls(merged, "update_fetch", src);
    urls(merged, "migrate_fetch", src); // checked here, read through migrateFetch()
    urls(merged, "test_fetch", src);
    return new AppConfig(
        appName,
        runtime,
        runner,
        value(merged, "java_options"),
        value(merged, "classpath"),
        processes,
        health,
        defaultLocation,
        updateFetch,
        Map.copyOf(env),
        Map.copyOf(services),
        Map.copyOf(settings),
        List.copyOf(warnings));
  }

  /**
   * The runtime: {@code runtime}, or the original's {@code platform} (the two must agree when both
   * are set); without either, the one the runner's file name implies ({@link Runtime#detect}), else
   * java.
   */
  private static Runtime runtimeOf(Map<String, IniFile.Entry> merged, String runner, String src) {
    IniFile.Entry chosen = null;
    for (String key : List.of("runtime", "platform")) {
      IniFile.Entry e = merged.get(key);
      if (e == null || e.value().isBlank()) {
        continue;
      }
      if (Runtime.byId(e.value().strip()) == null) {
        throw new InvalidConfigException(
            src,
            e.line(),
            "unknown " + key + " '" + e.value().strip() + "'; use one of " + Runtime.ids());
      }
      if (chosen != null && !chosen.value().strip().equals(e.value().strip())) {
        throw new InvalidConfigException(
            src,
            e.line(),
            "platform = "
                + e.value().strip()
                + " and runtime = "
                + chosen.value().strip()
                + " disagree; keep one of them");
      }
      chosen = e;
    }
    if (chosen != null) {
      return Runtime.byId(chosen.value().strip());
    }
    Runtime detected = Runtime.detect(runner);
    return detected == null ? Runtime.JAVA : detected;
  }

  /** {@code backup.schedule} and {@code backup.keep} must parse; other {@code backup.*} warn. */
  private static void checkBackupSettings(
      Map<String, IniFile.Entry> merged, String src, List<String> warnings) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, Integer> lines = new LinkedHashMap<>();
    for (IniFile.Entry e : merged.values()) {
      if (e.key().startsWith("backup.")) {
        String name = e.key().substring("backup.".length());
        if (BackupSettings.KEYS.contains(name)) {
          values.put(name, e.value());
          lines.put(name, e.line());
        } else {
          warnings.add(
              src
                  + ":"
                  + e.line()
                  + ": unknown key '"
                  + e.key()
                  + "' is ignored"
                  + " (backup.schedule and backup.keep are known)");
        }
      }
    }
    try {
      BackupSettings.parse(values);
    } catch (IllegalArgumentException ex) {
      String key = ex.getMessage().startsWith("backup.keep") ? "keep" : "schedule";
      throw new InvalidConfigException(src, lines.getOrDefault(key, 0), ex.getMessage());
    }
  }

  /** The values {@code https} takes: redirect (the default), optional, off. */
  public static final List<String> HTTPS_MODES = List.of("redirect", "optional", "off");

  private static void checkHttps(Map<String, IniFile.Entry> merged, String src) {
    IniFile.Entry https = merged.get("https");
    if (https != null && !HTTPS_MODES.contains(https.value().strip())) {
      throw new InvalidConfigException(
          src,
          https.line(),
          "https = '" + https.value().strip() + "'; use one of redirect, optional, off");
    }
    IniFile.Entry hsts = merged.get("hsts");
    if (hsts != null && parseSeconds(hsts.value()) < 0) {
      throw new InvalidConfigException(
          src,
          hsts.line(),
          "hsts = '"
              + hsts.value().strip()
              + "'; give the seconds browsers keep to HTTPS, e.g. hsts = 31536000 (0 for none)");
    }
  }

  private static void checkStaticUrl(Map<String, IniFile.Entry> merged, String src) {
    IniFile.Entry e = merged.get(STATIC_URL);
    if (e != null && !e.value().isBlank() && !isBaseUrl(e.value().strip())) {
      throw new InvalidConfigException(
          src,
          e.line(),
          STATIC_URL
              + " = '"
              + e.value().strip()
              + "'; give the base URL of a CDN that pulls from this app, e.g. "
              + STATIC_URL
              + " = https://cdn.example.com");
    }
  }

  private static void checkCdn(Map<String, IniFile.Entry> merged, String src) {
    IniFile.Entry e = merged.get(CdnTarget.KEY);
    if (e != null && !e.value().isBlank()) {
      try {
        CdnTarget.parse(e.value());
      } catch (IllegalArgumentException ex) {
        throw new InvalidConfigException(src, e.line(), CdnTarget.KEY + " = " + ex.getMessage());
      }
    }
  }

  /** An http(s) URL with a host and no query or fragment, such as a CDN's. */
  public static boolean isBaseUrl(String text) {
    try {
      java.net.URI u = new java.net.URI(text);
      return ("https".equals(u.getScheme()) || "http".equals(u.getScheme()))
          && u.getHost() != null
          && u.getRawQuery() == null
          && u.getRawFragment() == null
          && u.getRawUserInfo() == null;
    } catch (java.net.URISyntaxException ex) {
      return false;
    }
  }

  private static long parseSeconds(String text) {
    try {
      return text.strip().matches("[0-9]{1,10}") ? Long.parseLong(text.strip()) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The {@code https} setting: {@code redirect} (the default: plain HTTP is sent to HTTPS once the
   * host has a certificate), {@code optional} (both served) or {@code off} (no certificate is
   * requested, plain HTTP served).
   */
  public String httpsMode() {
    return settings.getOrDefault("https", "redirect").strip();
  }

  /** The {@code hsts} setting: the {@code Strict-Transport-Security} max-age, 0 for none. */
  public long hstsSeconds() {
    String v = settings.get("hsts");
    return v == null ? 0 : Math.max(0, parseSeconds(v));
  }

  private static String required(
      Map<String, IniFile.Entry> merged, String key, String src, IniFile ini) {
    String v = value(merged, key);
    if (v.isEmpty()) {
      IniFile.Entry e = merged.get(key);
      throw new InvalidConfigException(
          src,
          e == null ? 0 : e.line(),
          "[production] needs " + key + " (e.g. " + key + " = myapp)");
    }
    return v;
  }

  private static String value(Map<String, IniFile.Entry> merged, String key) {
    IniFile.Entry e = merged.get(key);
    return e == null ? "" : e.value().strip();
  }

  private static List<String> urls(Map<String, IniFile.Entry> merged, String key, String src) {
    String v = value(merged, key);
    List<String> out = new ArrayList<>();
    for (String u : v.split("\\s+")) {
      if (u.isEmpty()) {
        continue;
      }
      if (!u.startsWith("/")) {
        throw new InvalidConfigException(
            src, merged.get(key).line(), key + " URLs are paths starting with /, not " + u);
      }
      out.add(u);
    }
    return List.copyOf(out);
  }

  /** Whether {@code name} is a valid app name, as {@link #withAppName} requires. */
  public static boolean isAppName(String name) {
    return APP_NAME.matcher(name).matches() && !name.startsWith(RESERVED_PREFIX);
  }

  /** This configuration deployed under another name ({@code silver update --name}). */
  public AppConfig withAppName(String name) {
    if (!isAppName(name)) {
      throw new IllegalArgumentException(
          "app name '"
              + name
              + "' must match [a-z][a-z0-9-]* and not start with test- (e.g. guestbook)");
    }
    return new AppConfig(
        name,
        runtime,
        runner,
        javaOptions,
        classpath,
        processes,
        health,
        defaultLocation,
        updateFetch,
        env,
        services,
        settings,
        warnings);
  }

  /** The {@code migrate_fetch} paths: requested in order to run the app's database updates. */
  public List<String> migrateFetch() {
    return paths(settings.getOrDefault("migrate_fetch", ""));
  }

  /** The {@code test_fetch} paths: requested from a new instance before it goes live. */
  public List<String> testFetch() {
    return paths(settings.getOrDefault("test_fetch", ""));
  }

  /** The default of {@code ping_interval}. */
  public static final java.time.Duration DEFAULT_PING_INTERVAL = java.time.Duration.ofSeconds(60);

  /** The default of {@code health_failures}. */
  public static final int DEFAULT_HEALTH_FAILURES = 3;

  private static void checkMonitoring(Map<String, IniFile.Entry> merged, String src) {
    String ping = value(merged, "ping");
    if (!ping.isEmpty() && !ping.startsWith("/")) {
      throw new InvalidConfigException(
          src, merged.get("ping").line(), "ping must be a path starting with /, e.g. /ping");
    }
    String interval = value(merged, "ping_interval");
    if (!interval.isEmpty()) {
      java.time.Duration d;
      try {
        d = TimeSpan.parse(interval);
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException(src, merged.get("ping_interval").line(), e.getMessage());
      }
      if (d.toSeconds() < 1) {
        throw new InvalidConfigException(
            src, merged.get("ping_interval").line(), "ping_interval is at least 1s");
      }
    }
    String failures = value(merged, "health_failures");
    if (!failures.isEmpty()) {
      int n;
      try {
        n = Integer.parseInt(failures);
      } catch (NumberFormatException e) {
        n = 0;
      }
      if (n < 1 || n > 100) {
        throw new InvalidConfigException(
            src,
            merged.get("health_failures").line(),
            "health_failures is a number from 1 to 100 (failed health checks in a row before a"
                + " restart)");
      }
    }
  }

  /** The {@code ping} path fetched through the live instance to watch it, or an empty string. */
  public String ping() {
    return settings.getOrDefault("ping", "").strip();
  }

  /** How often {@link #ping} is fetched ({@code ping_interval}, 60 s unless set). */
  public java.time.Duration pingInterval() {
    String v = settings.getOrDefault("ping_interval", "").strip();
    return v.isEmpty() ? DEFAULT_PING_INTERVAL : TimeSpan.parse(v);
  }

  /** Failed health checks in a row after which a running process is restarted. */
  public int healthFailures() {
    String v = settings.getOrDefault("health_failures", "").strip();
    return v.isEmpty() ? DEFAULT_HEALTH_FAILURES : Integer.parseInt(v);
  }

  /** The {@code test_command} command line, or an empty string. */
  public String testCommand() {
    return settings.getOrDefault("test_command", "").strip();
  }

  private static List<String> paths(String value) {
    return java.util.Arrays.stream(value.strip().split("\\s+")).filter(u -> !u.isEmpty()).toList();
  }

  /**
   * The original's {@code php_root}: the PHP app's document root, relative to the app's folder
   * (default the folder itself).
   */
  public String phpRoot() {
    String root = settings.getOrDefault("php_root", "").strip();
    return root.isEmpty() ? "." : root;
  }

  /**
   * How many processes the node starts for an instance: none for static apps, one server for python
   * and php (which run {@code processes} workers themselves), else {@code processes}.
   */
  public int processCount() {
    return runtime.nodeProcesses(processes);
  }

  /** True when {@code file} names an app.ini file in {@code dir}. */
  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(FILE_NAME));
  }
}

package org.silverlining.node.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.silverlining.core.AppConfig;
import org.silverlining.core.CdnTarget;
import org.silverlining.core.IniFile;
import org.silverlining.core.InvalidConfigException;
import org.silverlining.core.PrivateFile;
import org.silverlining.node.cdn.CdnSettings;
import org.silverlining.node.layout.NodeLayout;

/**
 * The node's global configuration (API keys, an admin e-mail...) with per-app overrides, kept as
 * revisions like an app's configuration: one file {@code global.ini} in a {@link ConfigRevisions}
 * history under {@code ROOT/global-config/}, with a {@code [global]} section and one {@code
 * [app:NAME]} section per app that overrides a key.
 *
 * <p>Each app reads its merged view from one file, {@code SILVER_GLOBAL_CONFIG} (an INI file with
 * one {@code [global]} section), never from its environment. Every change replaces each app's file
 * atomically (a new file renamed over the old), so running apps see it at their next read without a
 * restart.
 */
public final class GlobalConfig implements AutoCloseable {
  static final String FILE = "global.ini";

  /** The keys marked secret, one a line, beside {@link #FILE} in each revision. */
  static final String SECRET_KEYS = "secret-keys";

  private static final String GLOBAL = "global";
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,99}");

  /** The keys that hold a base URL, each with the hint its refusal gives. */
  private static final Map<String, String> BASE_URLS =
      Map.of(
          AppConfig.STATIC_URL, "the CDN's, e.g. https://cdn.example.com",
          CdnSettings.ENDPOINT, "the storage's, e.g. https://s3.eu-west-1.amazonaws.com");

  private final NodeLayout layout;
  private final ConfigRevisions revisions;

  private GlobalConfig(NodeLayout layout, ConfigRevisions revisions) {
    this.layout = layout;
    this.revisions = revisions;
  }

  public static GlobalConfig open(NodeLayout layout) throws IOException {
    Path dir = layout.globalConfigDir();
    return new GlobalConfig(
        layout, ConfigRevisions.open(dir.resolve("repo"), dir.resolve("current")));
  }

  /** Every section's values: {@code global} and {@code app:NAME}, each key to value. */
  public synchronized Map<String, Map<String, String>> sections() throws IOException {
    return read(revisions.currentDir().resolve(FILE));
  }

  /** What {@code app} sees: the global values with its overrides. */
  public synchronized Map<String, String> viewOf(String app) throws IOException {
    Map<String, Map<String, String>> all = sections();
    Map<String, String> view = new TreeMap<>(all.getOrDefault(GLOBAL, Map.of()));
    view.putAll(all.getOrDefault("app:" + app, Map.of()));
    return view;
  }

  /**
   * The keys whose values are secret: never shown unless asked for. A key stays secret, in every
   * section, until it is unset everywhere.
   */
  public synchronized java.util.Set<String> secretKeys() throws IOException {
    Path file = revisions.currentDir().resolve(SECRET_KEYS);
    java.util.Set<String> keys = new java.util.TreeSet<>();
    if (Files.isRegularFile(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          keys.add(line.strip());
        }
      }
    }
    return keys;
  }

  /**
   * Sets ({@code value} non-null) or removes {@code key}, for every app ({@code app} null) or as
   * {@code app}'s override; records a revision; returns its number.
   */
  public synchronized int change(String app, String key, String value, String who)
      throws IOException, ConfigRejectedException {
    return change(app, key, value, false, who);
  }

  /**
   * {@link #change(String, String, String, String)}, marking {@code key} secret when {@code
   * secret}: its value is then hidden from every listing unless asked for.
   */
  public synchronized int change(String app, String key, String value, boolean secret, String who)
      throws IOException, ConfigRejectedException {
    if (!KEY.matcher(key).matches()) {
      throw new ConfigRejectedException(
          "'" + key + "' is not a valid key: letters, digits, '_', '.', '-', at most 100");
    }
    if (value != null && (value.contains("\n") || value.contains("\r"))) {
      throw new ConfigRejectedException("a global configuration value is one line");
    }
    if (value != null) {
      checkValue(key, value.strip());
    }
    Map<String, Map<String, String>> all = sections();
    String section = app == null ? GLOBAL : "app:" + app;
    Map<String, String> values = all.computeIfAbsent(section, s -> new TreeMap<>());
    if (value == null) {
      values.remove(key);
    } else {
      values.put(key, value);
    }
    java.util.Set<String> secrets = secretKeys();
    if (value != null && (secret || CdnSettings.SECRET_KEY.equals(key))) {
      secrets.add(key);
    }
    boolean stillSet = all.values().stream().anyMatch(v -> v.containsKey(key));
    if (!stillSet) {
      secrets.remove(key);
    }
    Path tmp = Files.createTempDirectory(layout.globalConfigDir(), ".candidate-");
    try {
      Files.writeString(tmp.resolve(FILE), render(all), StandardCharsets.UTF_8);
      if (!secrets.isEmpty()) {
        Files.writeString(
            tmp.resolve(SECRET_KEYS), String.join("\n", secrets) + "\n", StandardCharsets.UTF_8);
      }
      String what =
          (value == null ? "Unset " : "Set ")
              + key
              + (value != null && secrets.contains(key) ? " (secret)" : "")
              + (app == null ? "" : " for " + app);
      return revisions.commit(tmp, who, what).number();
    } finally {
      Files.deleteIfExists(tmp.resolve(FILE));
      Files.deleteIfExists(tmp.resolve(SECRET_KEYS));
      Files.deleteIfExists(tmp);
    }
  }

  /** Refuses values of the keys the node itself reads that it could not use. */
  private static void checkValue(String key, String value) throws ConfigRejectedException {
    String hint = BASE_URLS.get(key);
    if (hint != null && !AppConfig.isBaseUrl(value)) {
      throw new ConfigRejectedException(key + " = '" + value + "' is not a base URL; give " + hint);
    }
    if (key.equals(CdnTarget.KEY)) {
      try {
        CdnTarget.parse(value);
      } catch (IllegalArgumentException e) {
        throw new ConfigRejectedException(CdnTarget.KEY + " = " + e.getMessage());
      }
    }
  }

  /** Writes {@code app}'s view to its SILVER_GLOBAL_CONFIG file, replacing it atomically. */
  public synchronized Path publish(String app) throws IOException {
    Path file = layout.appGlobalConfig(app);
    StringBuilder text = new StringBuilder("[global]\n");
    viewOf(app)
        .forEach(
            (k, v) -> {
              if (!CdnSettings.NODE_ONLY.contains(k)) {
                text.append(k).append(" = ").append(v).append('\n');
              }
            });
    PrivateFile.replace(file, text.toString());
    return file;
  }

  /** The revisions of the global configuration, newest first. */
  public synchronized java.util.List<Revision> revisions() throws IOException {
    return revisions.revisions();
  }

  @Override
  public synchronized void close() {
    revisions.close();
  }

  /**
   * The sections of {@code file}, each key to value; keys and values as written (a value may hold
   * {@code " #"}), since the node writes the file itself ({@link #render}).
   */
  static Map<String, Map<String, String>> read(Path file) throws IOException {
    Map<String, Map<String, String>> all = new TreeMap<>();
    if (!Files.isRegularFile(file)) {
      return all;
    }
    IniFile ini;
    try {
      ini = IniFile.read(file, IniFile.Syntax.VERBATIM);
    } catch (InvalidConfigException e) {
      throw new IOException("the global configuration is damaged: " + e.getMessage(), e);
    }
    for (String section : ini.sectionNames()) {
      Map<String, String> values = new TreeMap<>();
      ini.section(section).forEach((k, e) -> values.put(k, e.value()));
      if (!values.isEmpty()) {
        all.put(section, values);
      }
    }
    return all;
  }

  static String render(Map<String, Map<String, String>> all) {
    StringBuilder text = new StringBuilder();
    all.forEach(
        (section, values) -> {
          if (values.isEmpty()) {
            return;
          }
          text.append('[').append(section).append("]\n");
          values.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
          text.append('\n');
        });
    return text.toString();
  }
}

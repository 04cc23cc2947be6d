package org.silverlining.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a Silver Lining node offers a Java app, with no dependencies: where the app runs ({@link
 * #isProduction()}), its configuration ({@link #configDir()}, {@link #globalConfig(String)}), the
 * platform secret ({@link #secret()}, {@link #keyRing()}), its task queues ({@link #tasks()}) and
 * the URLs of its named resources ({@link #href(String)}). Everything is found through the process
 * environment the node gives the app; the values themselves are read from files, which the node
 * replaces atomically and this class reads again when they change, so a running app sees a change
 * without a restart.
 */
public final class Silver {
  private static final NodeFile<KeyRing> KEY_RING = new NodeFile<>(KeyRing::parse);
  private static final NodeFile<Map<String, String>> GLOBAL = new NodeFile<>(GlobalValues::parse);
  private static final NodeFile<String> LOG_LEVEL = new NodeFile<>(String::strip);
  private static final NodeFile<Map<String, Object>> RESOURCES = new NodeFile<>(JsonReader::object);

  private Silver() {}

  /**
   * Whether the app runs on a node in production: {@code SILVER_VERSION} starts with {@code
   * silverlining/}. False under {@code silver serve} ({@code devel/...}) and outside Silver Lining.
   */
  public static boolean isProduction() {
    return isProduction(System.getenv());
  }

  static boolean isProduction(Map<String, String> env) {
    String v = env.get("SILVER_VERSION");
    return v != null && v.startsWith("silverlining/");
  }

  /**
   * The folder of the app's current configuration revision ({@code SILVER_APP_CONFIG}). It always
   * names the newest revision; read the files when you need them.
   *
   * @throws IllegalStateException when the app does not run under a node
   */
  public static Path configDir() {
    return Path.of(required(System.getenv(), "SILVER_APP_CONFIG"));
  }

  /**
   * The app's log level now, one of {@code trace}, {@code debug}, {@code info}, {@code warn},
   * {@code error}: from the file {@code SILVER_LOG_LEVEL_FILE}, which {@code silver log-level}
   * replaces for a while; else {@code SILVER_LOG_LEVEL}; else {@code info}.
   */
  public static String logLevel() {
    return logLevel(System.getenv());
  }

  static String logLevel(Map<String, String> env) {
    String file = env.get("SILVER_LOG_LEVEL_FILE");
    if (file != null && !file.isEmpty()) {
      try {
        String level = LOG_LEVEL.get(Path.of(file));
        if (!level.isEmpty()) {
          return level;
        }
      } catch (java.io.UncheckedIOException e) {
        // no file yet: the level given at start holds
      }
    }
    String level = env.get("SILVER_LOG_LEVEL");
    return level == null || level.isBlank() ? "info" : level.strip();
  }

  /**
   * The value of {@code key} in the node's global configuration as this app sees it (its override
   * when it has one), from the file {@code SILVER_GLOBAL_CONFIG}; empty when the key is not set.
   *
   * @throws IllegalStateException when the app does not run under a node
   */
  public static Optional<String> globalConfig(String key) {
    Path file = Path.of(required(System.getenv(), "SILVER_GLOBAL_CONFIG"));
    return Optional.ofNullable(GLOBAL.get(file).get(key));
  }

  /**
   * The current key of the node's rotating platform secret: 32 random bytes. To sign and verify
   * across rotations use {@link #keyRing()} instead.
   *
   * @throws IllegalStateException when the app does not run under a node
   */
  public static byte[] secret() {
    return keyRing().secret();
  }

  /**
   * The platform secret's key ring, from the file {@code SILVER_SECRETS_FILE}: sign with the
   * current key, verify with any key still in the ring. Read again whenever the node replaced the
   * file (a rotation, a key's grace period ending), so call this each time rather than keeping the
   * ring.
   *
   * @throws IllegalStateException when the app does not run under a node
   */
  public static KeyRing keyRing() {
    return KEY_RING.get(Path.of(required(System.getenv(), "SILVER_SECRETS_FILE")));
  }

  private static String required(Map<String, String> env, String name) {
    String v = env.get(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalStateException(name + " is not set: the app is not run by a silver node");
    }
    return v;
  }

  /**
   * The node's task queues, reached through {@code SILVER_TASKS_URL} with {@code
   * SILVER_TASKS_TOKEN}.
   *
   * @throws IllegalStateException when the app does not run under a node that offers tasks
   */
  public static Tasks tasks() {
    return Tasks.fromEnvironment(System.getenv());
  }

  /**
   * The URL of resource {@code name} of the app's {@code resources.ini} in this mode, from the file
   * {@code SILVER_RESOURCES_FILE}: {@code null} for a name not used in this mode (the members of a
   * combination in production, the combination in development).
   *
   * @throws IllegalArgumentException when {@code resources.ini} has no such name
   * @throws IllegalStateException when the app has no resources file
   */
  public static String href(String name) {
    return href(System.getenv(), name);
  }

  static String href(Map<String, String> env, String name) {
    Map<String, Object> urls = RESOURCES.get(Path.of(required(env, "SILVER_RESOURCES_FILE")));
    if (!urls.containsKey(name)) {
      throw new IllegalArgumentException(
          "resources.ini names no "
              + name
              + " (it names "
              + String.join(", ", urls.keySet())
              + ")");
    }
    Object url = urls.get(name);
    return url == null ? null : url.toString();
  }
}

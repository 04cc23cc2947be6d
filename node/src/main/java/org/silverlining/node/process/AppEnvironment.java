package org.silverlining.node.process;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.silverlining.core.AppConfig;
import org.silverlining.node.runtime.AppRuntimes;

/**
 * The environment of an application process (the names of the original Silver Lining). Built from
 * nothing but what is passed in, so that a process sees the same variables on every node.
 */
public final class AppEnvironment {
  /** Variables of the node's own environment that apps may need to find their tools. */
  private static final List<String> INHERITED =
      List.of("PATH", "LANG", "LC_ALL", "TZ", "HOME", "JAVA_HOME", "USER");

  private AppEnvironment() {}

  /**
   * What an instance's processes share; {@link #forProcess} adds the port.
   *
   * @param services the {@code CONFIG_*} variables of the app's services
   */
  public record Facts(
      String version,
      boolean devel,
      String instance,
      AppConfig app,
      String matchPath,
      String canonicalHost,
      String appConfigDir,
      String logsDir,
      String tmpDir,
      Map<String, String> services) {

    /** Facts of an app without services. */
    public Facts(
        String version,
        boolean devel,
        String instance,
        AppConfig app,
        String matchPath,
        String canonicalHost,
        String appConfigDir,
        String logsDir,
        String tmpDir) {
      this(
          version,
          devel,
          instance,
          app,
          matchPath,
          canonicalHost,
          appConfigDir,
          logsDir,
          tmpDir,
          Map.of());
    }
  }

  public static Map<String, String> forProcess(Facts f, int port, Map<String, String> nodeEnv) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : INHERITED) {
      String v = nodeEnv.get(name);
      if (v != null) {
        env.put(name, v);
      }
    }
    if (f.app().processCount() > 0) {
      env.putAll(AppRuntimes.of(f.app().runtime()).environment(f.app()));
    }
    env.putAll(f.app().env());
    env.putAll(f.services());
    env.put("PORT", Integer.toString(port));
    env.put("SILVER_VERSION", (f.devel() ? "devel/" : "silverlining/") + f.version());
    env.put("SILVER_INSTANCE_NAME", f.instance());
    env.put("SILVER_APP_NAME", f.app().appName());
    env.put("SILVER_MATCH_PATH", f.matchPath().equals("/") ? "" : f.matchPath());
    env.put("SILVER_CANONICAL_HOSTNAME", f.canonicalHost());
    env.put("SILVER_APP_CONFIG", f.appConfigDir());
    env.put("SILVER_LOGS", f.logsDir());
    env.put("TEMP", f.tmpDir());
    env.put("TMPDIR", f.tmpDir());
    return env;
  }
}

package org.silverlining.node.service;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a service is given to act for one app.
 *
 * @param app the app's name
 * @param alias the name the app used ({@code postgis} for the {@code postgresql} service)
 * @param options the app's options after {@code =}, {@code key=value} pairs separated by spaces
 * @param server the server settings: {@code [service.NAME]} in node.ini, with development overrides
 *     laid over them under {@code silver serve}
 * @param dataDir the app's folder on the node, for services that keep files
 * @param secrets where credentials the service made are kept
 */
public record ServiceScope(
    String app,
    String alias,
    Map<String, String> options,
    ServiceMode mode,
    Map<String, String> server,
    Path dataDir,
    ServiceSecrets secrets) {

  private static final Pattern OPTION = Pattern.compile("[a-z][a-z0-9_.-]*=\\S*");

  /**
   * Parses {@code service.NAME = OPTIONS}: space-separated {@code key=value} pairs; a value may
   * hold commas ({@code extensions=pg_trgm,hstore}).
   */
  public static Map<String, String> parseOptions(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : text.strip().split("\\s+")) {
      if (part.isEmpty()) {
        continue;
      }
      if (!OPTION.matcher(part).matches()) {
        throw new IllegalArgumentException(
            "'"
                + part
                + "' is not an option; write key=value pairs, e.g. extensions=pg_trgm,hstore");
      }
      int eq = part.indexOf('=');
      out.put(part.substring(0, eq), part.substring(eq + 1));
    }
    return out;
  }

  /**
   * The name of the app's database, role or user on a shared server: the app's name with {@code -}
   * as {@code _}, and {@code test_} before it in test mode. App names are {@code [a-z][a-z0-9-]*},
   * so the result is always a safe SQL identifier; services still quote it.
   */
  public String resourceName() {
    String base = app.replace('-', '_');
    return mode == ServiceMode.TEST ? "test_" + base : base;
  }

  /** A server setting, or {@code fallback}. The word {@code APP_NAME} becomes the app's name. */
  public String setting(String key, String fallback) {
    String v = server.get(key);
    return v == null ? fallback : v.replace("APP_NAME", app);
  }
}

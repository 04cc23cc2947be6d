package org.silverlining.node.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.silverlining.core.AppConfig;
import org.silverlining.core.Runtime;

/**
 * {@code runtime = php}: one php-fpm per instance process with a pool of its own ({@code pm =
 * static}, {@code processes} children) listening for FastCGI on {@code 127.0.0.1:$PORT}. The pool
 * keeps the process's environment ({@code clear_env = no}), so the app's {@code CONFIG_*} variables
 * are in {@code getenv()} and {@code $_SERVER}; errors go to the app's log.
 */
final class PhpRuntime implements AppRuntime {
  @Override
  public Runtime runtime() {
    return Runtime.PHP;
  }

  /**
   * The pool configuration of the process on {@code PORT} of instance {@code SILVER_INSTANCE_NAME}.
   */
  static Path configFile(Map<String, String> env, RuntimeTools tools) {
    return tools
        .supportDir()
        .resolve("php")
        .resolve(env.getOrDefault("SILVER_INSTANCE_NAME", "app") + "-" + env.get("PORT") + ".conf");
  }

  @Override
  public Map<Path, String> files(AppConfig app, Map<String, String> env, RuntimeTools tools) {
    String conf =
        String.join(
            "\n",
            "[global]",
            "daemonize = no",
            "error_log = /proc/self/fd/2",
            "log_limit = 8192",
            "",
            "[app]",
            "listen = 127.0.0.1:" + env.get("PORT"),
            "pm = static",
            "pm.max_children = " + app.processes(),
            "clear_env = no",
            "catch_workers_output = yes",
            "decorate_workers_output = no",
            "security.limit_extensions = .php",
            "php_admin_flag[log_errors] = on",
            "");
    return Map.of(configFile(env, tools), conf);
  }

  /** {@code -R}: a node run as root may run the pool as root (it runs every app as itself). */
  @Override
  public List<String> serve(AppConfig app, Map<String, String> env, RuntimeTools tools) {
    return List.of(
        tools.phpFpm(), "--nodaemonize", "--fpm-config", configFile(env, tools).toString(), "-R");
  }

  @Override
  public boolean speaksHttp() {
    return false;
  }

  @Override
  public String updateFetchMethod() {
    return "GET";
  }

  /** The script under PHP's command-line interpreter. */
  @Override
  public List<String> script(AppConfig app, String script, List<String> args, RuntimeTools tools) {
    return AppRuntime.concat(List.of(tools.php(), script), args);
  }
}

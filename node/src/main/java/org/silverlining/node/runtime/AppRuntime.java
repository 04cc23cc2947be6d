package org.silverlining.node.runtime;

import java.util.List;
import java.util.Map;
import org.silverlining.core.AppConfig;
import org.silverlining.core.Runtime;

/**
 * One way of running an application's processes ({@code runtime} in app.ini). Each method builds
 * what is to be run and runs nothing: the supervisor, {@code silver run} and {@code silver shell}
 * start what it returns. Implementations are listed in {@link AppRuntimes}.
 */
public interface AppRuntime {
  /** The app.ini runtime this module runs. */
  Runtime runtime();

  /**
   * The command line of one serving process of {@code app}, which listens on {@code
   * 127.0.0.1:$PORT}.
   *
   * @param env the process's environment, for the runtimes that expand variables
   */
  List<String> serve(AppConfig app, Map<String, String> env, RuntimeTools tools);

  /**
   * Files a serving process needs written before it starts (a server's configuration), by path.
   * Pure: the supervisor writes them.
   */
  default Map<java.nio.file.Path, String> files(
      AppConfig app, Map<String, String> env, RuntimeTools tools) {
    return Map.of();
  }

  /**
   * Whether the serving process speaks HTTP on its port; php-fpm speaks FastCGI, which the front
   * and the node's own requests ({@code update_fetch}) then use, and {@code health} is not asked.
   */
  default boolean speaksHttp() {
    return true;
  }

  /** Variables this runtime adds to the app's environment (serving, scripts and shells alike). */
  default Map<String, String> environment(AppConfig app) {
    return Map.of();
  }

  /**
   * The HTTP method of {@code update_fetch}: POST for this platform's own runtimes, GET for the
   * original Silver Lining's platforms, which fetched it as an internal GET.
   */
  default String updateFetchMethod() {
    return "POST";
  }

  /**
   * The command of {@code silver run}: {@code script} (a path relative to the app's folder, already
   * checked to exist) with {@code args}. The default runs the file itself, which must be
   * executable.
   */
  default List<String> script(AppConfig app, String script, List<String> args, RuntimeTools tools) {
    return concat(List.of("./" + script), args);
  }

  /**
   * The command of {@code silver shell}: an interactive interpreter with the app loaded, or empty
   * when this runtime has none.
   */
  default List<String> shell(AppConfig app, RuntimeTools tools) {
    return List.of();
  }

  /** {@code head} followed by {@code tail}. */
  static List<String> concat(List<String> head, List<String> tail) {
    List<String> all = new java.util.ArrayList<>(head);
    all.addAll(tail);
    return List.copyOf(all);
  }
}

package org.silverlining.node.runtime;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.silverlining.core.AppConfig;
import org.silverlining.core.Runtime;

/** The one list of runtime modules: each app.ini runtime that runs processes, and its module. */
public final class AppRuntimes {
  private static final List<AppRuntime> ALL =
      List.of(new JavaRuntime(), new CommandRuntime(), new PythonRuntime(), new PhpRuntime());

  private static final Map<Runtime, AppRuntime> BY_RUNTIME = new EnumMap<>(Runtime.class);

  static {
    for (AppRuntime r : ALL) {
      BY_RUNTIME.put(r.runtime(), r);
    }
  }

  /** For apps that run no process ({@code static}): a script runs as itself. */
  private static final AppRuntime PLAIN =
      new AppRuntime() {
        @Override
        public Runtime runtime() {
          return Runtime.STATIC;
        }

        @Override
        public List<String> serve(AppConfig app, Map<String, String> env, RuntimeTools tools) {
          throw new IllegalArgumentException("runtime static runs no process");
        }
      };

  private AppRuntimes() {}

  /** The module for scripts of apps whose runtime runs no process. */
  public static AppRuntime plain() {
    return PLAIN;
  }

  /** {@code silver run --java CLASS ARGS}: a class of a Java app, on the app's classpath. */
  public static List<String> javaMain(
      AppConfig app, String mainClass, List<String> args, RuntimeTools tools) {
    return JavaRuntime.mainClass(app, mainClass, args, tools);
  }

  /**
   * The module of {@code runtime}.
   *
   * @throws IllegalArgumentException for a runtime that runs no process ({@code static})
   */
  public static AppRuntime of(Runtime runtime) {
    AppRuntime r = BY_RUNTIME.get(runtime);
    if (r == null) {
      throw new IllegalArgumentException("runtime " + runtime.id() + " runs no process");
    }
    return r;
  }
}

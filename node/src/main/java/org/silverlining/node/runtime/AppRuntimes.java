package org.silverlining.node.runtime;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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

  private AppRuntimes() {}

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

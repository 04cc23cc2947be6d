package org.silverlining.core;

import java.util.Locale;

/** How an application's processes are run. */
public enum Runtime {
  /** A jar ({@code runner = target/app.jar}), a single source file, or a main class. */
  JAVA,
  /** Any command line using {@code $PORT}. */
  COMMAND,
  /** No process: the front serves {@code static/} (or the app's root) alone. */
  STATIC;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The runtime named {@code id}, or {@code null} when none is. */
  public static Runtime byId(String id) {
    for (Runtime r : values()) {
      if (r.id().equals(id)) {
        return r;
      }
    }
    return null;
  }
}

package org.silverlining.core;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How an application's processes are run. A runtime is chosen by {@code runtime} (or the original
 * Silver Lining's {@code platform}) in app.ini; without either, by the runner's file name ({@link
 * #detect}), and Java otherwise.
 */
public enum Runtime {
  /** A jar ({@code runner = target/app.jar}), a single source file, or a main class. */
  JAVA(List.of(), false),
  /** Any command line using {@code $PORT}. */
  COMMAND(List.of(), false),
  /** No process: the front serves {@code static/} (or the app's root) alone. */
  STATIC(List.of(), false),
  /**
   * A WSGI app: a {@code .py} file defining {@code application}, or a Paste Deploy {@code .ini}.
   */
  PYTHON(List.of(".py", ".ini"), true),
  /** A PHP app: the runner is the front controller, served through php-fpm. */
  PHP(List.of(".php"), true);

  private final List<String> runnerSuffixes;
  private final boolean ownWorkers;

  /**
   * @param ownWorkers one server process per instance (gunicorn, php-fpm) that forks {@code
   *     processes} workers itself, instead of {@code processes} processes started by the node
   */
  Runtime(List<String> runnerSuffixes, boolean ownWorkers) {
    this.runnerSuffixes = runnerSuffixes;
    this.ownWorkers = ownWorkers;
  }

  /** How many processes the node starts for an instance of {@code processes} (app.ini). */
  public int nodeProcesses(int processes) {
    if (this == STATIC) {
      return 0;
    }
    return ownWorkers ? 1 : processes;
  }

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

  /** Every runtime's id, comma-separated, for messages. */
  public static String ids() {
    return String.join(", ", Arrays.stream(values()).map(Runtime::id).toList());
  }

  /**
   * The runtime a runner's file name implies, as the original Silver Lining read it: {@code
   * main.py} or {@code config.ini#main} is python, {@code index.php} is php; {@code null} for any
   * other runner.
   */
  public static Runtime detect(String runner) {
    String file = runner.strip();
    int hash = file.indexOf('#');
    if (hash >= 0) {
      file = file.substring(0, hash);
    }
    if (file.contains(" ")) {
      return null;
    }
    for (Runtime r : values()) {
      for (String suffix : r.runnerSuffixes) {
        if (file.endsWith(suffix)) {
          return r;
        }
      }
    }
    return null;
  }
}

package org.silverlining.node.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.silverlining.core.AppConfig;
import org.silverlining.core.CommandLine;
import org.silverlining.core.Runtime;

/**
 * {@code runtime = java}: the node's JVM with {@code java_options} and a jar ({@code -jar}), a
 * single source file (the JDK's source launcher) or a main class on {@code classpath}.
 */
final class JavaRuntime implements AppRuntime {
  @Override
  public Runtime runtime() {
    return Runtime.JAVA;
  }

  @Override
  public List<String> serve(AppConfig app, Map<String, String> env, RuntimeTools tools) {
    List<String> cmd = new ArrayList<>();
    cmd.add(tools.java());
    cmd.addAll(CommandLine.split(app.javaOptions(), env));
    String runner = app.runner();
    if (runner.endsWith(".jar")) {
      cmd.add("-jar");
      cmd.add(runner);
    } else if (runner.endsWith(".java")) {
      cmd.add(runner);
    } else {
      if (!app.classpath().isEmpty()) {
        cmd.add("-cp");
        cmd.add(app.classpath());
      }
      cmd.add(runner);
    }
    return cmd;
  }

  /**
   * The classpath a class of the app is found on: the runner jar, or {@code classpath} (the app's
   * folder when neither is set).
   */
  static String classpathOf(AppConfig app) {
    if (app.runner().endsWith(".jar")) {
      return app.classpath().isEmpty() ? app.runner() : app.runner() + ":" + app.classpath();
    }
    return app.classpath().isEmpty() ? "." : app.classpath();
  }

  /** A jshell with the app's classpath (the app's environment is the process's own). */
  @Override
  public List<String> shell(AppConfig app, RuntimeTools tools) {
    java.nio.file.Path jshell = java.nio.file.Path.of(tools.java()).resolveSibling("jshell");
    return List.of(jshell.toString(), "--class-path", classpathOf(app));
  }

  /** {@code silver run --java CLASS ARGS}: a class of the app, on the app's classpath. */
  public static List<String> mainClass(
      AppConfig app, String mainClass, List<String> args, RuntimeTools tools) {
    List<String> head = new ArrayList<>();
    head.add(tools.java());
    head.addAll(CommandLine.split(app.javaOptions(), Map.of()));
    head.add("-cp");
    head.add(classpathOf(app));
    head.add(mainClass);
    return AppRuntime.concat(head, args);
  }
}

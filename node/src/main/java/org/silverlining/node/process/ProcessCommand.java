package org.silverlining.node.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.silverlining.core.AppConfig;
import org.silverlining.core.CommandLine;

/** Builds the argument list that runs one process of an application. Pure: nothing is started. */
public final class ProcessCommand {
  private ProcessCommand() {}

  /** The JVM that runs Java apps: the node's own. */
  public static String defaultJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * The command for {@code app}: for {@code java}, the JVM with {@code java_options} and a jar
   * ({@code -jar}), a single source file (the JDK's source launcher) or a main class on {@code
   * classpath}; for {@code command}, the runner split like a shell would, with {@code $PORT} and
   * other variables of {@code env} expanded.
   */
  public static List<String> of(AppConfig app, Map<String, String> env, String java) {
    switch (app.runtime()) {
      case JAVA:
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
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
      case COMMAND:
        return CommandLine.split(app.runner(), env);
      default:
        throw new IllegalArgumentException("runtime " + app.runtime().id() + " runs no process");
    }
  }
}

package org.silverlining.node.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.silverlining.core.AppConfig;
import org.silverlining.node.runtime.AppRuntimes;
import org.silverlining.node.runtime.RuntimeTools;

/**
 * Builds the argument list that runs one process of an application, through its runtime module
 * ({@link AppRuntimes}). Pure: nothing is started.
 */
public final class ProcessCommand {
  private ProcessCommand() {}

  /** The JVM that runs Java apps: the node's own. */
  public static String defaultJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The command of one serving process of {@code app}, with the environment {@code env}. */
  public static List<String> of(AppConfig app, Map<String, String> env, RuntimeTools tools) {
    return AppRuntimes.of(app.runtime()).serve(app, env, tools);
  }
}

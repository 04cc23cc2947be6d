package org.silverlining.node.runtime;

import java.util.List;
import java.util.Map;
import org.silverlining.core.AppConfig;
import org.silverlining.core.CommandLine;
import org.silverlining.core.Runtime;

/**
 * {@code runtime = command}: the runner split like a shell would, with {@code $PORT} and the other
 * variables of the environment expanded.
 */
final class CommandRuntime implements AppRuntime {
  @Override
  public Runtime runtime() {
    return Runtime.COMMAND;
  }

  @Override
  public List<String> serve(AppConfig app, Map<String, String> env, RuntimeTools tools) {
    return CommandLine.split(app.runner(), env);
  }
}

package org.silverlining.node.runtime;

import java.util.List;
import java.util.Map;
import org.silverlining.core.AppConfig;
import org.silverlining.core.Runtime;

/** {@code runtime = php}: php-fpm, one pool per instance, spoken to over FastCGI. */
final class PhpRuntime implements AppRuntime {
  @Override
  public Runtime runtime() {
    return Runtime.PHP;
  }

  @Override
  public List<String> serve(AppConfig app, Map<String, String> env, RuntimeTools tools) {
    throw new UnsupportedOperationException("php is not served yet");
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

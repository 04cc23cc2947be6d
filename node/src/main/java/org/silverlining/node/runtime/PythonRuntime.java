package org.silverlining.node.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.silverlining.core.AppConfig;
import org.silverlining.core.Runtime;

/**
 * {@code runtime = python} (the original Silver Lining's default platform): a WSGI app served by
 * gunicorn, one gunicorn per instance with {@code processes} synchronous workers, as the original
 * ran mod_wsgi daemons of one thread each. The node's {@code silverlining_wsgi} module puts the
 * app's folder, {@code lib/python} and {@code lib/pythonX.Y/site-packages} on {@code sys.path},
 * loads the runner ({@code main.py}'s {@code application}, or a Paste Deploy {@code
 * config.ini#main}) and sets {@code SCRIPT_NAME} and {@code silverlining.update} in each request's
 * environ.
 */
final class PythonRuntime implements AppRuntime {
  /**
   * gunicorn's worker timeout: a sync worker silent this long is killed. As long as an update fetch
   * may take, so that a slow migration is not cut short.
   */
  static final int WORKER_TIMEOUT_SECONDS = 300;

  @Override
  public Runtime runtime() {
    return Runtime.PYTHON;
  }

  @Override
  public List<String> serve(AppConfig app, Map<String, String> env, RuntimeTools tools) {
    List<String> cmd = new ArrayList<>();
    cmd.add(tools.python());
    cmd.add("-m");
    cmd.add("gunicorn");
    cmd.add("--bind");
    cmd.add("127.0.0.1:" + env.get("PORT"));
    cmd.add("--workers");
    cmd.add(Integer.toString(app.processes()));
    cmd.add("--timeout");
    cmd.add(Integer.toString(WORKER_TIMEOUT_SECONDS));
    cmd.add("--error-logfile");
    cmd.add("-");
    cmd.add("--pythonpath");
    cmd.add(tools.pythonSupport().toString());
    if (env.getOrDefault("SILVER_VERSION", "").startsWith("devel/")) {
      cmd.add("--reload");
    }
    cmd.add("silverlining_wsgi:application");
    return cmd;
  }

  @Override
  public Map<String, String> environment(AppConfig app) {
    return Map.of("SILVER_RUNNER", app.runner(), "PYTHONUNBUFFERED", "1");
  }

  @Override
  public String updateFetchMethod() {
    return "GET";
  }

  /** The script with the app's {@code sys.path}, as {@code __main__}. */
  @Override
  public List<String> script(AppConfig app, String script, List<String> args, RuntimeTools tools) {
    return AppRuntime.concat(
        List.of(
            tools.python(),
            tools.pythonSupport().resolve("silverlining_run.py").toString(),
            script),
        args);
  }

  /** A Python REPL with {@code application} and the runner's globals. */
  @Override
  public List<String> shell(AppConfig app, RuntimeTools tools) {
    return List.of(
        tools.python(), tools.pythonSupport().resolve("silverlining_shell.py").toString());
  }
}

package org.silverlining.node.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.silverlining.core.CommandLine;
import org.silverlining.node.instance.InstanceManager;

/**
 * Runs the app's {@code test_command} before the new instance goes live: in the instance's folder,
 * with its environment (services, {@code SILVER_*}), and {@code PORT} and {@code SILVER_TEST_URL}
 * naming the new instance's private port, so the tests talk to the version about to go live. A
 * non-zero exit (or {@link #TIMEOUT}) fails the deployment with the command's last lines.
 */
final class TestCommandStep implements DeployStep {
  static final Duration TIMEOUT = Duration.ofMinutes(10);
  static final int OUTPUT_TAIL_LINES = 20;
  private static final int OUTPUT_KEEP_BYTES = 64 * 1024;

  private final InstanceManager instances;

  TestCommandStep(InstanceManager instances) {
    this.instances = instances;
  }

  @Override
  public String name() {
    return "test_command";
  }

  @Override
  public String run(Deployment d) throws Exception {
    String command = d.config.testCommand();
    if (command.isEmpty()) {
      return "none";
    }
    Map<String, String> env = new LinkedHashMap<>(instances.commandEnvironment(d.instance));
    if (d.live.processes() != null) {
      int port = d.live.processes().processes().get(0).port();
      env.put("PORT", String.valueOf(port));
      env.put("SILVER_TEST_URL", "http://127.0.0.1:" + port);
    }
    List<String> argv = CommandLine.split(command, env);
    Result r = run(argv, env, d.instanceDir, TIMEOUT);
    if (r.exitCode() != 0) {
      throw new DeployFailedException(
          name(),
          command
              + (r.exitCode() == TIMED_OUT
                  ? " did not finish within " + TIMEOUT.toMinutes() + " min"
                  : " exited with " + r.exitCode()),
          FetchStep.tail(r.output(), OUTPUT_TAIL_LINES));
    }
    return command + ": passed";
  }

  static final int TIMED_OUT = -1;

  /** How a command ended: its exit code ({@link #TIMED_OUT}) and the end of its output. */
  record Result(int exitCode, String output) {}

  /** Runs {@code argv} in {@code dir} with exactly {@code env}; stdout and stderr together. */
  static Result run(List<String> argv, Map<String, String> env, Path dir, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    StringBuilder out = new StringBuilder();
    Thread reader =
        new Thread(
            () -> {
              byte[] buf = new byte[8192];
              try (InputStream in = p.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                  synchronized (out) {
                    out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    if (out.length() > 2 * OUTPUT_KEEP_BYTES) {
                      out.delete(0, out.length() - OUTPUT_KEEP_BYTES);
                    }
                  }
                }
              } catch (IOException e) {
                // the process went away; what was read is kept
              }
            },
            "test-command-output");
    reader.setDaemon(true);
    reader.start();
    boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!finished) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    reader.join(TimeUnit.SECONDS.toMillis(5));
    synchronized (out) {
      return new Result(finished ? p.exitValue() : TIMED_OUT, out.toString());
    }
  }
}

package org.silverlining.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a program given as an argument list, on this machine or on a server over SSH. */
interface CommandRunner {
  /** The exit code and the program's output (standard output and error together). */
  record Result(int exitCode, String output) {}

  /** Runs {@code command} with {@code env} added to its environment, and waits for it. */
  Result run(List<String> command, Map<String, String> env) throws IOException;

  /** Where the programs run, for messages. */
  String where();

  /** This machine. */
  static CommandRunner local() {
    return new CommandRunner() {
      @Override
      public Result run(List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
          if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return new Result(-1, out + "\n(stopped after 10 minutes)");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          p.destroyForcibly();
          throw new UserException("interrupted");
        }
        return new Result(p.exitValue(), out);
      }

      @Override
      public String where() {
        return "this machine";
      }
    };
  }

  /**
   * The server of {@code target}: each command goes as a script on standard input (so that the
   * environment's values, passwords included, are in no command line), under {@code sudo -n} for a
   * login other than root.
   */
  static CommandRunner ssh(SshTarget target) {
    return new CommandRunner() {
      @Override
      public Result run(List<String> command, Map<String, String> env) throws IOException {
        SshTarget.Result r = target.script(script(command, env, !target.user().equals("root")));
        return new Result(r.exitCode(), r.stdout() + r.stderr());
      }

      @Override
      public String where() {
        return target.toString();
      }
    };
  }

  /** The shell script that runs {@code command} with {@code env}, each word quoted. */
  static String script(List<String> command, Map<String, String> env, boolean sudo) {
    StringBuilder s = new StringBuilder();
    env.forEach(
        (k, v) ->
            s.append("export ").append(k).append('=').append(SshTarget.quote(v)).append('\n'));
    List<String> words = new ArrayList<>();
    if (sudo) {
      words.addAll(List.of("sudo", "-n", "-E"));
    }
    words.addAll(command);
    s.append("exec");
    words.forEach(w -> s.append(' ').append(SshTarget.quote(w)));
    return s.append('\n').toString();
  }
}

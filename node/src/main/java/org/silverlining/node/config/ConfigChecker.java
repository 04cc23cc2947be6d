package org.silverlining.node.config;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.silverlining.core.AppConfig;

/**
 * Runs an app's {@code config.checker} with a candidate configuration in {@code SILVER_APP_CONFIG}
 * before the candidate is accepted. The command line is split on white space and run without a
 * shell, in the instance's folder; a non-zero exit rejects the candidate with the checker's output.
 */
public final class ConfigChecker {
  /** The longest a checker may run. */
  public static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** The most output kept for the rejection message. */
  static final int MAX_OUTPUT = 4000;

  private ConfigChecker() {}

  /** The checker's argument list from {@code config}; empty when it has none. */
  public static List<String> command(AppConfig config) {
    String line = config.settings().getOrDefault("config.checker", "").strip();
    return line.isEmpty() ? List.of() : Arrays.asList(line.split("\\s+"));
  }

  /** The environment the checker adds to the node's: the app's env.* and the candidate. */
  static Map<String, String> environment(AppConfig config, Path candidate) {
    Map<String, String> env = new java.util.LinkedHashMap<>(config.env());
    env.put("SILVER_APP_CONFIG", candidate.toAbsolutePath().toString());
    return env;
  }

  /**
   * Runs the checker of {@code config} in {@code instanceDir} against {@code candidate}.
   *
   * @throws ConfigRejectedException when it exits non-zero or runs too long
   */
  public static void check(AppConfig config, Path instanceDir, Path candidate)
      throws IOException, ConfigRejectedException {
    List<String> command = command(config);
    if (command.isEmpty()) {
      return;
    }
    ProcessBuilder pb = new ProcessBuilder(command).directory(instanceDir.toFile());
    pb.redirectErrorStream(true);
    pb.environment().putAll(environment(config, candidate));
    Process p = pb.start();
    p.getOutputStream().close();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread reader =
        new Thread(
            () -> {
              try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // the process went away; what was read is kept
              }
            },
            "config-checker");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new ConfigRejectedException(
            "the configuration checker ran longer than " + TIMEOUT.toSeconds() + " s");
      }
      reader.join(1000);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the configuration checker ran", e);
    }
    if (p.exitValue() != 0) {
      String text;
      synchronized (out) {
        text = out.toString(StandardCharsets.UTF_8).strip();
      }
      if (text.length() > MAX_OUTPUT) {
        text = text.substring(text.length() - MAX_OUTPUT);
      }
      throw new ConfigRejectedException(
          "the configuration checker ("
              + String.join(" ", command)
              + ") rejected it with exit code "
              + p.exitValue()
              + (text.isEmpty() ? "" : ":\n" + text));
    }
  }
}

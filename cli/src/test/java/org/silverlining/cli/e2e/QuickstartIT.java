package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code silver quickstart} from the project's folder, as the README tells a new user: it serves
 * the URL it prints, Ctrl-C stops it and everything it started, and a second run reuses the node.
 */
class QuickstartIT {
  private static final Pattern URL =
      Pattern.compile("^\\s+(http://127\\.0\\.0\\.1:\\d+/)(\\s|$)", Pattern.MULTILINE);

  @TempDir Path dir;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void quickstartServesItsUrlStopsEverythingOnCtrlCAndReusesItsNodeTheNextTime() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    Path root = dir.resolve("root");

    Quickstart first = new Quickstart(home, root);
    try {
      String url = first.awaitUrl();
      assertThat(first.output()).contains("Creating the local node in " + root);
      HttpResponse<String> r = get(url);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      first.interruptAndAwaitEverythingGone();
      assertThat(first.output()).contains("Stopping the node and its apps");
    } finally {
      first.kill();
    }

    Quickstart second = new Quickstart(home, root);
    try {
      String url = second.awaitUrl();
      assertThat(second.output()).contains("Reusing the local node in " + root);
      assertThat(get(url).statusCode()).isEqualTo(200);
      second.interruptAndAwaitEverythingGone();
    } finally {
      second.kill();
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A {@code bin/silver quickstart} running in the background, its output collected. */
  private static final class Quickstart {
    private final Process process;
    private final StringBuffer output = new StringBuffer();

    Quickstart(Path home, Path root) throws IOException {
      ProcessBuilder pb =
          new ProcessBuilder(TestNode.SILVER.toString(), "quickstart", "--root", root.toString())
              .directory(TestNode.PROJECT.toFile())
              .redirectErrorStream(true);
      pb.environment().put("HOME", home.toString());
      process = pb.start();
      Thread pump =
          new Thread(
              () -> {
                try (InputStream in = process.getInputStream()) {
                  byte[] buf = new byte[4096];
                  for (int n; (n = in.read(buf)) >= 0; ) {
                    output.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                  }
                } catch (IOException e) {
                  // the process is gone
                }
              },
              "quickstart output");
      pump.setDaemon(true);
      pump.start();
    }

    String output() {
      return output.toString();
    }

    /** The URL quickstart prints once the app is live. */
    String awaitUrl() {
      try {
        return awaitUrlOrTimeOut();
      } catch (ConditionTimeoutException e) {
        throw new AssertionError("no URL in quickstart's output within 120 s:\n" + output, e);
      }
    }

    private String awaitUrlOrTimeOut() {
      return await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(100))
          .failFast("quickstart exited: " + output, () -> !process.isAlive())
          .alias("the URL in quickstart's output")
          .until(() -> URL.matcher(output), Matcher::find)
          .group(1);
    }

    /** Ctrl-C, as a terminal sends it; everything quickstart started must be gone. */
    void interruptAndAwaitEverythingGone() throws Exception {
      List<ProcessHandle> started = process.descendants().toList();
      assertThat(started).as("quickstart runs the app as its child").isNotEmpty();
      Process kill =
          new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
      long t0 = System.nanoTime();
      // The minute is a guard against a hang, not a measure: bench/ measures.
      assertThat(process.waitFor(60, TimeUnit.SECONDS))
          .as("quickstart stopped on SIGINT; it said:%n%s", output)
          .isTrue();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(started).noneMatch(ProcessHandle::isAlive));
      System.out.printf(
          "quickstart: stopped with its %d child process(es) %d ms after SIGINT%n",
          started.size(), (System.nanoTime() - t0) / 1_000_000);
    }

    void kill() {
      List<ProcessHandle> left = process.descendants().toList();
      process.destroyForcibly();
      left.forEach(ProcessHandle::destroyForcibly);
    }
  }
}

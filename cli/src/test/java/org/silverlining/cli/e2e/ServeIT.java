package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code silver serve} on an app scaffolded by {@code silver init --runtime command}: it runs in
 * development mode, picks up edits, and takes its app with it when it stops.
 */
class ServeIT {
  /** Routes added to the scaffold's app.py, so the test can see the app's environment. */
  private static final String ENV_ROUTES =
      """
          if path == "/version":
              return text(start_response, "200 OK", os.environ.get("SILVER_VERSION", "") + "\\n")
          if path == "/greeting":
              return text(start_response, "200 OK", os.environ.get("GREETING", "") + "\\n")
      """;

  @TempDir Path dir;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void serveRunsTheScaffoldInDevelModeRestartsItOnEditsAndStopsItOnSigterm() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    Path app = dir.resolve("served");
    ProcessBuilder initCommand =
        new ProcessBuilder(
                TestNode.SILVER.toString(), "init", app.toString(), "--runtime", "command")
            .directory(TestNode.PROJECT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("init.log").toFile());
    initCommand.environment().put("HOME", home.toString());
    Process init = initCommand.start();
    assertThat(init.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(init.exitValue()).as(Files.readString(dir.resolve("init.log"))).isZero();

    Path appPy = app.resolve("app.py");
    String code = Files.readString(appPy);
    assertThat(code).contains("    if path == \"/\":\n", "Hello from served");
    Files.writeString(
        appPy, code.replace("    if path == \"/\":\n", ENV_ROUTES + "    if path == \"/\":\n"));
    Files.writeString(
        app.resolve("app.ini"),
        Files.readString(app.resolve("app.ini"))
            + "env.GREETING = from production\n\n[devel]\nenv.GREETING = from devel\n");

    Path log = dir.resolve("serve.log");
    ProcessBuilder pb =
        new ProcessBuilder(
                TestNode.SILVER.toString(), "serve", app.toString(), "--http", "127.0.0.1:0")
            .directory(TestNode.PROJECT.toFile())
            .redirectErrorStream(true);
    pb.environment().put("HOME", home.toString());
    Process serve = pb.start();
    try {
      Matcher serving = NodeOutput.copy(serve, log, SERVING).get(120, TimeUnit.SECONDS);
      assertThat(serving).as("serve says where it serves").isNotNull();
      String base = "http://127.0.0.1:" + serving.group(1);
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .untilAsserted(() -> assertThat(get(base + "/")).startsWith("Hello from served"));
      assertThat(get(base + "/version")).startsWith("devel/");
      assertThat(get(base + "/greeting")).isEqualTo("from devel");

      long t0 = System.nanoTime();
      Files.writeString(
          appPy,
          Files.readString(appPy).replace("Hello from served", "Edited greeting from served"));
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .untilAsserted(
              () -> assertThat(get(base + "/")).startsWith("Edited greeting from served"));
      System.out.printf(
          "serve: the edit was live %d ms after it was saved%n",
          (System.nanoTime() - t0) / 1_000_000);

      List<ProcessHandle> started = serve.descendants().toList();
      assertThat(started).as("serve runs the app as its child").isNotEmpty();
      serve.destroy();
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).as("serve stopped on SIGTERM").isTrue();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(started).noneMatch(ProcessHandle::isAlive));
    } finally {
      List<ProcessHandle> left = serve.descendants().toList();
      serve.destroyForcibly();
      left.forEach(ProcessHandle::destroyForcibly);
      System.out.println("serve said:\n" + Files.readString(log, StandardCharsets.UTF_8).strip());
    }
  }

  /** The line {@code silver serve} prints once it listens, with the port it took. */
  static final Pattern SERVING = Pattern.compile("^Serving \\S+ at http://127\\.0\\.0\\.1:(\\d+)/");

  private String get(String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body().strip();
  }
}

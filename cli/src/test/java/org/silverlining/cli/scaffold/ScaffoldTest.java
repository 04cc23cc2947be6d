package org.silverlining.cli.scaffold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.core.AppConfig;
import org.silverlining.core.Runtime;

class ScaffoldTest {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final String INSTANCE = "my-app.20261126_001";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  @TempDir Path tmp;

  @Test
  void theJavaTemplateIsAValidAppThatRunsFromSourceAsItIs() throws Exception {
    Path dir = tmp.resolve("My App");
    List<Path> written = Scaffold.write(dir, "java", null);

    assertThat(written)
        .containsExactly(
            dir.resolve(".silverignore"),
            dir.resolve("README.md"),
            dir.resolve("src/Main.java"),
            dir.resolve("app.ini"));
    AppConfig config = AppConfig.load(dir, false);
    assertThat(config.appName()).isEqualTo("my-app");
    assertThat(config.runtime()).isEqualTo(Runtime.JAVA);
    assertThat(config.runner()).isEqualTo("src/Main.java");
    assertThat(config.warnings()).isEmpty();

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    assertThat(runAndGetRoot(dir, List.of(java, "src/Main.java")))
        .isEqualTo("Hello from my-app, instance " + INSTANCE + "\n");
  }

  @Test
  void theCommandTemplateIsAValidAppThatRunsWithPython3AsItIs() throws Exception {
    Path dir = tmp.resolve("guestbook");
    Scaffold.write(dir, "command", null);

    AppConfig config = AppConfig.load(dir, false);
    assertThat(config.appName()).isEqualTo("guestbook");
    assertThat(config.runtime()).isEqualTo(Runtime.COMMAND);
    assertThat(config.runner()).isEqualTo("python3 app.py");
    assertThat(config.health()).isEqualTo("/ping");
    assertThat(config.warnings()).isEmpty();

    assumeTrue(onPath("python3"), "python3 is needed to run the command template");
    assertThat(runAndGetRoot(dir, List.of("python3", "app.py")))
        .isEqualTo("Hello from guestbook, instance " + INSTANCE + "\n");
  }

  @Test
  void theStaticTemplateIsAValidAppWithAnIndexPage() throws Exception {
    Path dir = tmp.resolve("site");
    Scaffold.write(dir, "static", "brochure");

    AppConfig config = AppConfig.load(dir, false);
    assertThat(config.appName()).isEqualTo("brochure");
    assertThat(config.runtime()).isEqualTo(Runtime.STATIC);
    assertThat(config.processCount()).isZero();
    assertThat(config.warnings()).isEmpty();
    assertThat(Files.readString(dir.resolve("static/index.html")))
        .contains("<title>brochure</title>")
        .doesNotContain(Scaffold.APP_NAME_PLACEHOLDER);
  }

  @Test
  void everyTemplateFileHasTheAppNameFilledIn() throws Exception {
    for (String runtime : Scaffold.runtimes()) {
      for (Path file : Scaffold.write(tmp.resolve(runtime), runtime, "filled")) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain("{{");
      }
    }
  }

  @Test
  void refusesAFolderThatAlreadyHasAnAppIni() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("existing"));
    Files.writeString(dir.resolve("app.ini"), "[production]\napp_name = mine\nruntime = static\n");

    assertThatThrownBy(() -> Scaffold.write(dir, "java", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("app.ini already exists");
    assertThat(Files.readString(dir.resolve("app.ini"))).contains("app_name = mine");
    assertThat(dir.resolve("src")).doesNotExist();
  }

  @Test
  void refusesAnUnknownRuntimeNamingTheKnownOnes() {
    Path dir = tmp.resolve("ruby");

    assertThatThrownBy(() -> Scaffold.write(dir, "ruby", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown runtime 'ruby'")
        .hasMessageContaining("java, command, static");
    assertThat(dir).doesNotExist();
  }

  @Test
  void refusesAnAppNameThatIsNotValid() {
    assertThatThrownBy(() -> Scaffold.write(tmp.resolve("x"), "static", "My_App"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("app name 'My_App'");
  }

  @Test
  void keepsFilesTheFolderAlreadyHas() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("notes"));
    Files.writeString(dir.resolve("README.md"), "my own notes\n");

    List<Path> written = Scaffold.write(dir, "static", null);

    assertThat(written).doesNotContain(dir.resolve("README.md"));
    assertThat(Files.readString(dir.resolve("README.md"))).isEqualTo("my own notes\n");
    assertThat(dir.resolve("app.ini")).exists();
  }

  @Test
  void appNamesAreMadeFromTheFolderName() {
    assertThat(Scaffold.appNameFor(Path.of("/srv/Guest Book"))).isEqualTo("guest-book");
    assertThat(Scaffold.appNameFor(Path.of("/srv/2024_blog"))).isEqualTo("blog");
    assertThat(Scaffold.appNameFor(Path.of("/srv/wiki!"))).isEqualTo("wiki");
    assertThat(Scaffold.appNameFor(Path.of("/srv/my-app"))).isEqualTo("my-app");
    assertThat(Scaffold.appNameFor(Path.of("/srv/123"))).isEqualTo("app");
    assertThat(Scaffold.appNameFor(Path.of("/"))).isEqualTo("app");
    assertThat(Scaffold.appNameFor(Path.of("/srv/" + "a".repeat(80)))).hasSize(63);
  }

  /**
   * Starts {@code command} in {@code dir} as the node would, waits for /ping, and GETs /. An app is
   * told its port ({@code PORT}): it gets one below the range port 0 draws from, so that no server
   * binding port 0 takes it meanwhile, and another where it is taken.
   */
  private String runAndGetRoot(Path dir, List<String> command) throws Exception {
    for (int attempt = 1; ; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
      Path log = tmp.resolve(dir.getFileName() + "-" + attempt + ".log");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().put("PORT", Integer.toString(port));
      builder.environment().put("SILVER_INSTANCE_NAME", INSTANCE);
      Process process = builder.start();
      try {
        if (!awaitPing(process, port, log, attempt < 5)) {
          continue;
        }
        HttpResponse<String> root = get(port, "/");
        assertThat(root.statusCode()).isEqualTo(200);
        return root.body();
      } finally {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** True once /ping answers; false when the port was taken and {@code mayRetry}. */
  private static boolean awaitPing(Process process, int port, Path log, boolean mayRetry)
      throws Exception {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        if (mayRetry && output(log).contains("Address already in use")) {
          return false;
        }
        fail("the app exited with " + process.exitValue() + ":\n" + output(log));
      }
      try {
        if (get(port, "/ping").statusCode() == 200) {
          return true;
        }
      } catch (IOException notListeningYet) {
        // Still starting; poll again.
      }
      Thread.sleep(100);
    }
    fail("GET /ping did not answer 200 within " + START_TIMEOUT + ":\n" + output(log));
    return false;
  }

  private static HttpResponse<String> get(int port, String path)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(2))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static String output(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log) : "(no output)";
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String folder : path.split(java.io.File.pathSeparator)) {
      if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, program))) {
        return true;
      }
    }
    return false;
  }
}

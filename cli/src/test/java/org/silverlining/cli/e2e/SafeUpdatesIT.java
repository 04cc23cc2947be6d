package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Safe updates end to end, with a real node process and a real PostgreSQL: the node killed with
 * {@code kill -9} in each stage of an update (test mode {@code SILVER_TEST_PAUSE_AT} halts it
 * there) comes back with the old instance live, the data as before the update, the deployment
 * recorded as failed at that stage, and a new update succeeds.
 */
@Execution(ExecutionMode.CONCURRENT) // each test starts a node of its own
class SafeUpdatesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LIVE = Pattern.compile("Live: (\\S+) at");

  /**
   * At start: table {@code item}, one row per instance (a restart of the same instance adds none).
   * {@code /dump}: the tables and rows. {@code POST /migrate}: adds table {@code added}. Every
   * other GET: the instance's name.
   */
  private static final String APP_PY =
      """
      import http.server, os, subprocess, sys

      def psql(sql):
          env = dict(os.environ, PGPASSWORD=os.environ["CONFIG_PG_PASSWORD"])
          r = subprocess.run(["psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-h", os.environ["CONFIG_PG_HOST"],
                              "-p", os.environ["CONFIG_PG_PORT"], "-U", os.environ["CONFIG_PG_USER"],
                              "-d", os.environ["CONFIG_PG_DBNAME"], "-c", sql], capture_output=True, text=True, env=env)
          if r.returncode:
              sys.exit(r.stderr)
          return r.stdout

      psql("CREATE TABLE IF NOT EXISTS item (started_by text PRIMARY KEY);"
           " INSERT INTO item VALUES ('%s') ON CONFLICT DO NOTHING" % os.environ["SILVER_INSTANCE_NAME"])

      class H(http.server.BaseHTTPRequestHandler):
          def log_message(self, *a):
              pass

          def answer(self, text):
              body = text.encode()
              self.send_response(200)
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)

          def do_GET(self):
              if self.path == "/config":
                  f = os.path.join(os.environ["SILVER_APP_CONFIG"], "greeting.txt")
                  self.answer(open(f).read() if os.path.exists(f) else "no configuration")
              elif self.path == "/dump":
                  self.answer(psql("SELECT table_name FROM information_schema.tables"
                                   " WHERE table_schema = 'public' ORDER BY 1")
                              + psql("SELECT started_by FROM item ORDER BY 1"))
              else:
                  self.answer(os.environ["SILVER_INSTANCE_NAME"])

          def do_POST(self):
              psql("CREATE TABLE IF NOT EXISTS added (x int)")
              self.answer("migrated")

      http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
      """;

  /** Every stage after the upload, in order. */
  private static final List<String> STAGES =
      List.of(
          "unpack",
          "static",
          "config",
          "provision",
          "checkpoint",
          "start",
          "update_fetch",
          "migrate_fetch",
          "test_fetch",
          "test_command",
          "switch",
          "drain",
          "prune");

  @TempDir Path dir;
  String app;
  String location;

  @BeforeEach
  void requirePostgres() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 5432), 2_000);
    } catch (IOException e) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("CI=true and PostgreSQL does not answer at 127.0.0.1:5432", e);
      }
      Assumptions.abort("PostgreSQL does not answer at 127.0.0.1:5432");
    }
    byte[] b = new byte[4];
    new SecureRandom().nextBytes(b);
    app = "sfi-" + HexFormat.of().formatHex(b);
    location = app + ".localhost";
  }

  @AfterEach
  void dropDatabase() throws Exception {
    String name = app.replace('-', '_');
    try (Connection c =
            DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
      st.execute("DROP ROLE IF EXISTS \"" + name + "\"");
    }
  }

  private Path version(String folder, String moreIni) throws IOException {
    Path d = dir.resolve(folder);
    Files.createDirectories(d);
    Files.writeString(d.resolve("app.py"), APP_PY);
    Files.writeString(
        d.resolve("app.ini"),
        "[production]\napp_name = "
            + app
            + "\nruntime = command\nrunner = python3 app.py\nservice.postgresql =\n"
            + moreIni);
    return d;
  }

  /** A configuration folder whose greeting.txt says {@code greeting}. */
  private Path config(String greeting) throws IOException {
    Path d = dir.resolve("config-" + greeting);
    Files.createDirectories(d);
    Files.writeString(d.resolve("greeting.txt"), greeting);
    return d;
  }

  private static String update(TestNode node, Path app, String location, Path config)
      throws Exception {
    return TestNode.liveInstance(
        node.update(app, location, "--yes", "--config", config.toString()));
  }

  private static String update(TestNode node, Path app, String location) throws Exception {
    return TestNode.liveInstance(node.update(app, location, "--yes"));
  }

  private String get(TestNode node, String path) throws Exception {
    var r = node.get(location, path);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  private JsonNode newestDeployment(TestNode node) throws Exception {
    TestNode.Result r = node.silver("versions", location, "--json");
    assertThat(r.exitCode()).as(r.output()).isZero();
    return JSON.readTree(r.stdout()).path("deployments").get(0);
  }

  @Test
  void aNodeKilledInAnyStageOfAnUpdateComesBackWithTheOldInstanceAndTheDataAsBefore()
      throws Exception {
    try (TestNode node = TestNode.start(dir)) {
      String old = update(node, version("v1", ""), location);
      Path v2 =
          version(
              "v2",
              "update_fetch = /warm\nmigrate_fetch = /migrate\ntest_fetch = /check\n"
                  + "test_command = python3 -c \"print('tests pass')\"\n");
      Path config = dir.resolve("config");
      Files.createDirectories(config);
      Files.writeString(config.resolve("greeting.txt"), "hello from revision 1");
      Path paused = node.root().resolve("test-paused");
      // Each start of the node after a kill -9 pauses at the next stage: one start per stage.
      node.stop();
      node.startProcess(pauseAt(STAGES.get(0)));
      for (int i = 0; i < STAGES.size(); i++) {
        String stage = STAGES.get(i);
        String before = get(node, "/dump");

        ProcessBuilder pb =
            new ProcessBuilder(
                    TestNode.SILVER.toString(),
                    "update",
                    v2.toString(),
                    location,
                    "--yes",
                    "--config",
                    config.toString())
                .directory(TestNode.PROJECT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("update-" + stage + ".log").toFile());
        pb.environment().put("HOME", node.home().toString());
        Process update = pb.start();
        try {
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(50))
              .until(() -> Files.exists(paused));
          node.kill9();
          assertThat(update.waitFor(30, TimeUnit.SECONDS)).isTrue();
          assertThat(update.exitValue()).isNotZero();
        } finally {
          update.destroyForcibly();
        }
        Files.delete(paused);

        node.startProcess(i + 1 < STAGES.size() ? pauseAt(STAGES.get(i + 1)) : Map.of());
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(get(node, "/")).as(stage).isEqualTo(old));
        assertThat(get(node, "/dump")).as("the data after a kill -9 in " + stage).isEqualTo(before);
        assertThat(get(node, "/config")).as(stage).isEqualTo("no configuration");
        JsonNode d = newestDeployment(node);
        assertThat(d.path("status").asText()).as(stage).isEqualTo("failed");
        assertThat(d.path("stage").asText()).isEqualTo(stage);
        assertThat(d.path("error").asText()).contains("interrupted by a node restart");
        System.out.printf("safe updates: kill -9 in %s: %s%n", stage, d.path("error").asText());
      }

      TestNode.Result last =
          node.silver("update", v2.toString(), location, "--yes", "--config", config.toString());
      assertThat(last.exitCode()).as(last.output()).isZero();
      Matcher m = LIVE.matcher(last.stdout());
      assertThat(m.find()).isTrue();
      String next = m.group(1);
      assertThat(get(node, "/")).isEqualTo(next);
      assertThat(get(node, "/config")).isEqualTo("hello from revision 1");
      assertThat(get(node, "/dump")).contains("added");
      assertThat(newestDeployment(node).path("status").asText()).isEqualTo("ok");
    }
  }

  /** The environment of a node that halts a deployment when it reaches {@code stage}. */
  private static Map<String, String> pauseAt(String stage) {
    return Map.of("SILVER_TEST_PAUSE_AT", stage);
  }

  @Test
  void rollbackServesThePreviousInstanceAgainAndCanRestoreItsData() throws Exception {
    try (TestNode node = TestNode.start(dir)) {
      Path v1 = version("r1", "");
      String first = update(node, v1, location, config("one"));
      String before = get(node, "/dump");
      Path v2 = version("r2", "migrate_fetch = /migrate\n");
      Files.writeString(v2.resolve("NEW"), "a file only v2 has\n");
      String second = update(node, v2, location, config("two"));
      assertThat(get(node, "/dump")).contains("added").isNotEqualTo(before);

      TestNode.Result diff = node.silver("diff", location, first, second);
      assertThat(diff.exitCode()).as(diff.output()).isEqualTo(1);
      assertThat(diff.stdout())
          .contains("added    NEW (19 bytes)")
          .contains("changed  app.ini")
          .doesNotContain("app.py");
      TestNode.Result local = node.silver("diff", v2.toString(), location);
      assertThat(local.exitCode()).as(local.output()).isZero();
      assertThat(local.stdout()).contains("No difference.");
      Files.writeString(
          v2.resolve("app.py"), "# edited\n", java.nio.file.StandardOpenOption.APPEND);
      local = node.silver("diff", v2.toString(), location);
      assertThat(local.stdout()).contains("changed  app.py");

      TestNode.Result r = node.silver("rollback", location);
      assertThat(r.exitCode()).as(r.output()).isZero();
      assertThat(r.stdout()).contains(first + " is live at " + location + " again");
      assertThat(get(node, "/")).isEqualTo(first);
      System.out.println("safe updates: rollback said: " + r.stdout().strip());
      // v2's migration and configuration are still there: neither was asked for.
      assertThat(get(node, "/dump")).contains("added");
      assertThat(get(node, "/config")).isEqualTo("two");

      assertThat(node.silver("rollback", location, "--to", second).exitCode()).isZero();
      assertThat(get(node, "/")).isEqualTo(second);
      TestNode.Result asked = node.run(List.of("rollback", location, "--restore-data"), "n\n");
      assertThat(asked.exitCode()).isEqualTo(1);
      assertThat(asked.stdout()).contains("Nothing was changed.");
      assertThat(get(node, "/")).isEqualTo(second);

      r = node.silver("rollback", location, "--restore-data", "--with-config", "--yes");
      assertThat(r.exitCode()).as(r.output()).isZero();
      assertThat(r.stdout())
          .contains("The data was restored from checkpoint")
          .contains("Configuration revision 3 is newest now.");
      assertThat(get(node, "/")).isEqualTo(first);
      assertThat(get(node, "/dump")).isEqualTo(before);
      assertThat(get(node, "/config")).isEqualTo("one");
      System.out.println("safe updates: rollback --restore-data said: " + r.stdout().strip());

      // The registry lists the three rollbacks among the deployments, newest first.
      List<String> versions = node.silver("versions", location).stdout().lines().toList();
      assertThat(versions)
          .as(String.join("\n", versions))
          .hasSizeGreaterThan(9)
          .satisfies(
              all ->
                  assertThat(all.subList(2, 9))
                      .satisfiesExactly(
                          l -> assertThat(l).startsWith(first).contains(" rollback "),
                          l -> assertThat(l).isEqualTo("    replaced " + second),
                          l -> assertThat(l).startsWith(second).contains(" rollback "),
                          l -> assertThat(l).isEqualTo("    replaced " + first),
                          l -> assertThat(l).startsWith(first).contains(" rollback "),
                          l -> assertThat(l).isEqualTo("    replaced " + second),
                          l -> assertThat(l).startsWith(second).contains(" ok")));
    }
  }

  @Test
  void versionsListsEveryDeploymentNewestFirstWithItsVersionControlFacts() throws Exception {
    try (TestNode node = TestNode.start(dir)) {
      Path v1 = version("g1", "");
      git(v1, "init", "-q", "-b", "main");
      git(v1, "add", ".");
      git(v1, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "v1");
      String first = update(node, v1, location);
      Files.writeString(
          v1.resolve("app.ini"),
          "test_command = sh -c 'echo 1 test failed; exit 1'\n",
          java.nio.file.StandardOpenOption.APPEND);
      TestNode.Result failed = node.silver("update", v1.toString(), location, "--yes");
      assertThat(failed.exitCode()).isEqualTo(1);
      assertThat(failed.output())
          .contains("update failed at test_command")
          .contains("The end of its output:")
          .contains("1 test failed");

      TestNode.Result v = node.silver("versions", location);
      assertThat(v.exitCode()).as(v.output()).isZero();
      System.out.println(v.stdout());
      List<String> lines = v.stdout().lines().toList();
      assertThat(lines.get(2))
          .contains("FAILED at test_command")
          .contains("git ")
          .contains("main*");
      assertThat(lines.get(3)).contains("exited with 1");
      assertThat(lines.get(4))
          .startsWith(first)
          .contains("ok, live")
          .contains("main")
          .doesNotContain("main*");
    }
  }

  @Test
  void anUpdateToANodeOnAnotherBuildWarnsAndAsksAndUpdateRestartsItOnThisOne() throws Exception {
    // A node on a build that differs from the CLI's: a copy of the jar with one more file.
    Path jar = dir.resolve("other-build.jar");
    Files.copy(TestNode.PROJECT.resolve("cli/target/silver.jar"), jar);
    Path extra = dir.resolve("extra");
    Files.createDirectories(extra);
    Files.writeString(extra.resolve("OTHER-BUILD"), "another build\n");
    Process jarTool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jar").toString(),
                "uf",
                jar.toString(),
                "-C",
                extra.toString(),
                "OTHER-BUILD")
            .inheritIO()
            .start();
    assertThat(jarTool.waitFor()).isZero();
    try (TestNode node = TestNode.start(dir)) {
      Path v1 = version("s1", "");
      update(node, v1, location);
      node.stop();
      ProcessBuilder pb =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  jar.toString(),
                  "node",
                  "start",
                  "--root",
                  node.root().toString())
              .redirectErrorStream(true);
      pb.environment().put("HOME", node.home().toString());
      Process other = pb.start();
      try {
        assertThat(
                NodeOutput.copy(other, dir.resolve("other-node.log"), TestNode.STARTED)
                    .get(60, TimeUnit.SECONDS))
            .as("the node on the other build says it has started")
            .isNotNull();

        TestNode.Result no = node.run(List.of("update", v1.toString(), location), "n\n");
        assertThat(no.exitCode()).as(no.output()).isEqualTo(1);
        assertThat(no.stdout())
            .contains(
                "Warning: the node test is not up to date; setup-node should be run\n"
                    + "Continue anyway (y)es/(n)o/(u)pdate? ")
            .contains("Nothing was changed.")
            .doesNotContain("Live:");

        TestNode.Result yes = node.silver("update", v1.toString(), location, "--yes");
        assertThat(yes.exitCode()).as(yes.output()).isZero();
        assertThat(yes.stdout()).contains("not up to date").doesNotContain("(y)es/(n)o");

        TestNode.Result u = node.run(List.of("update", v1.toString(), location), "u\n");
        assertThat(u.exitCode()).as(u.output()).isZero();
        assertThat(u.stdout()).contains("runs this version now").contains("Live:");
        assertThat(other.waitFor(30, TimeUnit.SECONDS)).as("the old node stopped").isTrue();

        TestNode.Result again = node.run(List.of("update", v1.toString(), location), "");
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.stdout()).doesNotContain("not up to date");
      } finally {
        // The restarted node is not TestNode's process: stop it by the pid it reports.
        TestNode.Result q = node.silver("query");
        var r = node.api("GET", "", node.token());
        if (r.statusCode() == 200) {
          long pid = JSON.readTree(r.body()).path("pid").asLong();
          ProcessHandle.of(pid)
              .ifPresent(
                  p -> {
                    List<ProcessHandle> children = p.descendants().toList();
                    p.destroy();
                    p.onExit().join();
                    children.forEach(ProcessHandle::destroyForcibly);
                  });
        }
        other.destroyForcibly();
        assertThat(q).isNotNull();
      }
    }
  }

  private static void git(Path dir, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
  }
}

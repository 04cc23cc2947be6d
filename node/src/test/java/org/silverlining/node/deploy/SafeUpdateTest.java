package org.silverlining.node.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.core.AppConfig;
import org.silverlining.core.Hashing;
import org.silverlining.node.Node;
import org.silverlining.node.SmallDisk;
import org.silverlining.node.TestApps;
import org.silverlining.node.backup.Backup;
import org.silverlining.node.backup.Checkpoints;
import org.silverlining.node.service.ServiceMode;
import org.silverlining.node.service.ServiceSecrets;
import org.silverlining.node.service.Services;
import org.silverlining.node.state.StateStore;
import org.silverlining.node.steps.Progress;

/**
 * Safe updates on an in-process node with a real PostgreSQL: a checkpoint before the new version
 * starts, {@code migrate_fetch}, {@code test_fetch} and {@code test_command} against the new
 * instance before it is live, and on any failure the old instance live with its data exactly as
 * before; every attempt in the deployment registry.
 */
class SafeUpdateTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A Python app over the app's PostgreSQL database: at start it creates table {@code item} with
   * one row per start; {@code /whoami} answers the instance; {@code POST /migrate-ok} adds table
   * {@code added}; {@code POST /migrate-bad} adds a table and a row, then answers 500; {@code
   * /selftest-bad} answers 500.
   */
  private static final String APP_PY =
      """
      import http.server, os, subprocess, sys

      def psql(sql):
          env = dict(os.environ, PGPASSWORD=os.environ["CONFIG_PG_PASSWORD"])
          r = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", os.environ["CONFIG_PG_HOST"],
                              "-p", os.environ["CONFIG_PG_PORT"], "-U", os.environ["CONFIG_PG_USER"],
                              "-d", os.environ["CONFIG_PG_DBNAME"], "-c", sql], capture_output=True, text=True, env=env)
          if r.returncode:
              sys.exit(r.stderr)

      psql("CREATE TABLE IF NOT EXISTS item (id serial PRIMARY KEY, started_by text);"
           " INSERT INTO item (started_by) VALUES ('%s')" % os.environ["SILVER_INSTANCE_NAME"])

      class H(http.server.BaseHTTPRequestHandler):
          def log_message(self, *a):
              pass

          def answer(self, code, text):
              body = text.encode()
              self.send_response(code)
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)

          def do_GET(self):
              if self.path == "/selftest-bad":
                  self.answer(500, "checking the new schema\\nselftest: 3 of 4 checks failed\\n")
              else:
                  self.answer(200, os.environ["SILVER_INSTANCE_NAME"])

          def do_POST(self):
              if self.path == "/migrate-ok":
                  psql("CREATE TABLE IF NOT EXISTS added (x int)")
                  self.answer(200, "migrated")
              elif self.path == "/migrate-bad":
                  psql("CREATE TABLE half (x int); INSERT INTO half VALUES (1);"
                       " UPDATE item SET started_by = 'migration'")
                  self.answer(500, "migration 2 failed: column exists\\n")
              else:
                  self.answer(404, "no")

      http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
      """;

  @TempDir static Path dir;
  static Node node;
  static String app;
  static String location;
  static String live;
  static HttpClient http;

  @BeforeAll
  static void deployTheFirstVersion() throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 5432), 2_000);
    } catch (IOException e) {
      if ("true".equals(System.getenv("CI"))) {
        throw e;
      }
      Assumptions.abort("PostgreSQL does not answer at 127.0.0.1:5432");
    }
    byte[] b = new byte[4];
    new SecureRandom().nextBytes(b);
    app = "sfu-" + HexFormat.of().formatHex(b);
    location = app + ".test";
    http = new HttpClient();
    http.start();
    node = TestApps.startNode(dir.resolve("node"));
    live = deploy("v1", "");
  }

  @AfterAll
  static void stop() throws Exception {
    if (http != null) {
      http.stop();
    }
    if (node != null) {
      for (Services.Bound s : services()) {
        s.service().drop(s.scope());
      }
      node.close();
    }
  }

  private static Path version(String folder, String moreIni) {
    return TestApps.write(
        dir.resolve(folder),
        Map.of(
            "app.py",
            APP_PY,
            "app.ini",
            TestApps.commandIni(app, "python3 app.py", "service.postgresql =\n" + moreIni)));
  }

  private static String deploy(String folder, String moreIni) throws Exception {
    return TestApps.deploy(node, app, location, TestApps.pack(version(folder, moreIni)));
  }

  private static DeployFailedException failure(String folder, String moreIni) {
    Throwable t =
        catchThrowable(
            () ->
                node.deployer()
                    .deploy(
                        new Deployer.Request(app, location, false, null, "tester"),
                        new ByteArrayInputStream(TestApps.pack(version(folder, moreIni))),
                        Progress.NONE));
    assertThat(t).isInstanceOf(DeployFailedException.class);
    return (DeployFailedException) t;
  }

  private static List<Services.Bound> services() throws Exception {
    AppConfig config = AppConfig.load(node.layout().instanceDir(app, live), false).withAppName(app);
    return Services.standard()
        .bind(
            config,
            ServiceMode.PRODUCTION,
            node.layout().appDir(app),
            Map.of(),
            new ServiceSecrets(node.layout().appSecrets(app)));
  }

  /** A backup of the app's data now, as its files (manifest aside) by path. */
  private static SortedMap<String, String> backup() throws Exception {
    Path target = dir.resolve("backup-" + System.nanoTime());
    Backup.write(services(), target, Map.of());
    SortedMap<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(target)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        if (!p.getFileName().toString().equals("manifest.json")) {
          out.put(target.relativize(p).toString(), Files.readString(p));
        }
      }
    }
    return out;
  }

  private static String servedBy() throws Exception {
    return http.newRequest("127.0.0.1", node.httpPort())
        .headers(h -> h.put(HttpHeader.HOST, location))
        .path("/whoami")
        .send()
        .getContentAsString();
  }

  private static StateStore.DeploymentRecord newestDeployment() throws Exception {
    JsonNode d =
        JSON.valueToTree(node.releases().deployments(location, 1)).path("deployments").get(0);
    return new StateStore.DeploymentRecord(
        d.path("id").asLong(),
        d.path("app").asText(),
        location,
        d.path("instance").asText(null),
        d.path("status").asText(),
        d.path("stage").asText(),
        d.path("error").asText(),
        d.path("started").asText(),
        d.path("finished").asText(null),
        d.path("who").asText(),
        0,
        d.path("config_revision").asInt(),
        false,
        d.path("checkpoint").asText(null),
        d.path("previous").asText(null),
        null,
        true,
        d.path("vcs").toString(),
        d.path("stages").toString());
  }

  @Test
  void aFailingMigrateFetchLeavesTheDataUnchangedAndTheOldInstanceLive() throws Exception {
    SortedMap<String, String> before = backup();

    DeployFailedException e = failure("migrate-bad", "migrate_fetch = /migrate-bad\n");

    assertThat(e.stage()).isEqualTo("migrate_fetch");
    assertThat(e.getMessage()).isEqualTo("/migrate-bad answered 500");
    assertThat(e.logTail()).containsExactly("migration 2 failed: column exists");
    assertThat(backup()).isEqualTo(before);
    assertThat(servedBy()).isEqualTo(live);
    StateStore.DeploymentRecord r = newestDeployment();
    assertThat(r.status()).isEqualTo("failed");
    assertThat(r.stage()).isEqualTo("migrate_fetch");
    assertThat(r.checkpoint()).isNotNull();
  }

  @Test
  void aFailingTestAfterAMigrationRestoresTheSchemaAndTheRows() throws Exception {
    SortedMap<String, String> before = backup();

    DeployFailedException e =
        failure("test-bad", "migrate_fetch = /migrate-ok\ntest_fetch = /whoami /selftest-bad\n");

    assertThat(e.stage()).isEqualTo("test_fetch");
    assertThat(e.getMessage()).isEqualTo("/selftest-bad answered 500");
    assertThat(e.logTail())
        .containsExactly("checking the new schema", "selftest: 3 of 4 checks failed");
    // The new version added a row at its start and a table in its migration: both are gone.
    assertThat(backup()).isEqualTo(before);
    assertThat(servedBy()).isEqualTo(live);
    assertThat(node.layout().instanceDir(app, newestDeployment().instance())).doesNotExist();
  }

  @Test
  void aFailingTestCommandShowsItsOutputAndRevertsTheData() throws Exception {
    SortedMap<String, String> before = backup();
    // The command reaches the new instance on its private port (PORT, SILVER_TEST_URL).
    String check =
        "test_command = python3 -c \"import os, sys, urllib.request;"
            + " who = urllib.request.urlopen(os.environ['SILVER_TEST_URL'] + '/whoami').read().decode();"
            + " print('tested', who); sys.exit(0 if who == os.environ['SILVER_INSTANCE_NAME'] else 3)\"\n";

    String good = deploy("test-command-ok", check);
    assertThat(servedBy()).isEqualTo(good);
    live = good;
    before = backup();

    DeployFailedException e =
        failure(
            "test-command-bad",
            "test_command = sh -c 'echo running 12 tests; echo FAILED: test_checkout; exit 2'\n");

    assertThat(e.stage()).isEqualTo("test_command");
    assertThat(e.getMessage()).contains("exited with 2");
    assertThat(e.logTail()).containsExactly("running 12 tests", "FAILED: test_checkout");
    assertThat(backup()).isEqualTo(before);
    assertThat(servedBy()).isEqualTo(live);
  }

  @Test
  void everyDeploymentIsRecordedWithItsStagesManifestAndCheckpoint() throws Exception {
    String next = deploy("recorded", "migrate_fetch = /migrate-ok\n");
    live = next;

    StateStore.DeploymentRecord r = newestDeployment();
    assertThat(r.status()).isEqualTo("ok");
    assertThat(r.instance()).isEqualTo(next);
    assertThat(r.who()).isEqualTo("test");
    JsonNode stages = JSON.readTree(r.stages());
    assertThat(stages.fieldNames())
        .toIterable()
        .containsSubsequence(
            "upload", "unpack", "provision", "checkpoint", "start", "migrate_fetch", "switch");
    Checkpoints.Checkpoint c =
        new Checkpoints(node.layout()).find(app, r.checkpoint()).orElseThrow();
    assertThat(c.reason()).isEqualTo("before update to " + next);
    List<String> manifest = Files.readAllLines(node.layout().instanceManifest(app, next));
    assertThat(manifest).hasSize(2);
    JsonNode appPy = JSON.readTree(manifest.get(1));
    assertThat(appPy.path("path").asText()).isEqualTo("app.py");
    assertThat(appPy.path("sha256").asText()).isEqualTo(Hashing.sha256(APP_PY));
  }

  @Test
  void aCheckpointThatCannotBeTakenAbortsBeforeAnythingChanges() throws Exception {
    Path checkpoints = node.layout().appCheckpoints(app);
    Path aside = checkpoints.resolveSibling("checkpoints.aside");
    Files.move(checkpoints, aside);
    // A file where the checkpoints folder belongs: nothing can be written there, as on a full disk.
    Files.writeString(checkpoints, "in the way\n");
    SortedMap<String, String> before = backup();
    try {
      DeployFailedException e = failure("no-checkpoint", "");

      assertThat(e.stage()).isEqualTo("checkpoint");
      assertThat(e.getMessage())
          .startsWith("cannot write a checkpoint of the app's data (" + checkpoints)
          .contains("nothing was changed. Free disk space or repair " + checkpoints);
      assertThat(backup()).isEqualTo(before);
      assertThat(servedBy()).isEqualTo(live);
      StateStore.DeploymentRecord r = newestDeployment();
      assertThat(r.status()).isEqualTo("failed");
      assertThat(JSON.readTree(r.stages()).has("start")).isFalse();
      assertThat(node.layout().instanceDir(app, r.instance())).doesNotExist();
    } finally {
      Files.delete(checkpoints);
      Files.move(aside, checkpoints);
    }
  }

  @Test
  void theNewestFiveUpdateCheckpointsAreKeptAndOthersLeftAlone() throws Exception {
    Checkpoints checkpoints = new Checkpoints(node.layout());
    Checkpoints.Checkpoint other =
        checkpoints.take(app, services(), "before restore of a backup", Map.of());
    for (int i = 0; i < PruneInstancesStep.KEEP_CHECKPOINTS + 1; i++) {
      live = deploy("prune-" + i, "");
    }

    List<Checkpoints.Checkpoint> left = checkpoints.list(app);
    assertThat(left.stream().filter(c -> c.reason().startsWith("before update to ")))
        .hasSize(PruneInstancesStep.KEEP_CHECKPOINTS)
        .first()
        .satisfies(c -> assertThat(c.reason()).isEqualTo("before update to " + live));
    assertThat(left).extracting(Checkpoints.Checkpoint::id).contains(other.id());
  }

  @Test
  void aFullDiskWhereCheckpointsGoAbortsBeforeAnythingChanges() throws Exception {
    Path checkpoints = node.layout().appCheckpoints(app);
    Path aside = checkpoints.resolveSibling("checkpoints.full-aside");
    Files.move(checkpoints, aside);
    Files.createDirectories(checkpoints);
    // A real full disk: an 8 KiB tmpfs where the checkpoints go (needs root; skipped elsewhere).
    try (SmallDisk full = SmallDisk.on(checkpoints, "8k")) {
      SortedMap<String, String> before = backup();

      DeployFailedException e = failure("disk-full", "");

      assertThat(e.stage()).isEqualTo("checkpoint");
      assertThat(e.getMessage())
          .startsWith("cannot write a checkpoint of the app's data (")
          .contains("No space left on device")
          .contains("nothing was changed. Free disk space or repair " + checkpoints);
      assertThat(backup()).isEqualTo(before);
      assertThat(servedBy()).isEqualTo(live);
      assertThat(node.layout().instanceDir(app, newestDeployment().instance())).doesNotExist();
      try (Stream<Path> s = Files.list(checkpoints)) {
        assertThat(s).as("no partial checkpoint is left").isEmpty();
      }
    } finally {
      Files.delete(checkpoints);
      Files.move(aside, checkpoints);
    }
  }

  @Test
  void aCheckpointThatCannotBeRestoredIsReportedAndNeverPassedOffAsNothingChanged()
      throws Exception {
    // The test removes the checkpoint under the update's feet, then fails.
    Path checkpoints = node.layout().appCheckpoints(app);
    DeployFailedException e =
        failure(
            "lost-checkpoint",
            "test_command = sh -c 'rm -rf " + checkpoints + "/*; echo checkpoint gone; exit 1'\n");

    assertThat(e.stage()).isEqualTo("test_command");
    assertThat(e.undoProblems()).singleElement().asString().startsWith("checkpoint: ");
    assertThat(servedBy()).isEqualTo(live);
    StateStore.DeploymentRecord r = newestDeployment();
    assertThat(r.error()).contains("NOT undone: checkpoint: ");
  }

  @Test
  void silverServeTakesNoCheckpoint() throws Exception {
    org.silverlining.node.NodeSettings.HostPort any =
        new org.silverlining.node.NodeSettings.HostPort("127.0.0.1", 0);
    try (Node devel =
        Node.start(
            new org.silverlining.node.layout.NodeLayout(dir.resolve("devel-node")),
            new org.silverlining.node.NodeSettings("d", any, any),
            true)) {
      Path files =
          TestApps.echoApp(
              dir.resolve("devel-app"),
              "develapp",
              Map.of(
                  "app.ini",
                  TestApps.commandIni("develapp", "python3 app.py", "service.files =\n")));
      Map<String, String> details = new java.util.LinkedHashMap<>();
      devel
          .deployer()
          .deploy(
              new Deployer.Request("develapp", "devel.test", false, null, "serve"),
              new ByteArrayInputStream(TestApps.pack(files)),
              new Progress() {
                @Override
                public void started(String stage) {}

                @Override
                public void finished(String stage, long millis, String detail) {
                  details.put(stage, detail);
                }

                @Override
                public void note(String text) {}
              });

      assertThat(details).containsEntry("checkpoint", "skipped in development (silver serve)");
      assertThat(devel.layout().appCheckpoints("develapp")).doesNotExist();
    }
  }
}

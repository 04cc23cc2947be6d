package org.silverlining.node.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.Node;
import org.silverlining.node.TestApps;
import org.silverlining.node.deploy.DeployFailedException;
import org.silverlining.node.errors.ConflictException;
import org.silverlining.node.errors.NotFoundException;
import org.silverlining.node.state.StateStore;

/**
 * The {@code [cron]} jobs of an in-process node: URL jobs reach the live instance as internal
 * requests, command jobs run in the app's folder and environment, every run is recorded, runs of
 * one job never overlap, a run missed while the node was down runs once on start, and the jobs
 * follow what is deployed. No test waits for a schedule to come due on the clock: runs are asked
 * for, or made due by a run recorded long ago.
 */
class CronSchedulerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String APP = "cronapp";
  private static final String LOCATION = "cron.test";

  /**
   * Answers GET: {@code /cron/fail} with 500, {@code /cron/slow} once the test has released it
   * ({@link #release}), anything else with 200; each request (path and headers, names lower case)
   * is appended to {@code $REQUESTS} first. A run held by the test, not for a while: the test says
   * when it has seen what it waits for.
   */
  private static final String APP_PY =
      """
      import http.server, json, os, socketserver, time

      class H(http.server.BaseHTTPRequestHandler):
          protocol_version = "HTTP/1.1"

          def log_message(self, *args):
              pass

          def do_GET(self):
              with open(os.environ["REQUESTS"], "a") as f:
                  f.write(json.dumps({
                      "path": self.path,
                      "headers": {k.lower(): v for k, v in self.headers.items()},
                  }) + "\\n")
              if self.path == "/cron/slow":
                  deadline = time.time() + 60
                  while not os.path.exists(os.environ["REQUESTS"] + ".release"):
                      if time.time() > deadline:
                          break
                      time.sleep(0.05)
              code = 500 if self.path == "/cron/fail" else 200
              text = "boom: the report failed" if code == 500 else "done " + self.path
              body = (text + "\\n").encode()
              self.send_response(code)
              self.send_header("Content-Type", "text/plain")
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)

      class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
          daemon_threads = True
          allow_reuse_address = True

      Server(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
      """;

  private static final String PRINT_JOB =
      "command python3 -c \"import os; print(os.getcwd()); print(os.environ['CONFIG_FILES']);"
          + " print(os.environ['SILVER_APP_NAME'])\"";
  private static final String EXIT_JOB =
      "command python3 -c \"import sys; print('report: no data for today'); sys.exit(3)\"";

  @TempDir static Path dir;
  static Node node;
  static String instance;

  @BeforeAll
  static void deployAnAppWithCronJobs() throws Exception {
    node = TestApps.startNode(dir.resolve("node"));
    instance =
        TestApps.deploy(
            node,
            APP,
            LOCATION,
            TestApps.pack(
                app(
                    "main",
                    APP,
                    "service.files =\n",
                    "/cron/hello = every 24 hours",
                    "/cron/fail = every 24 hours",
                    "/cron/slow = every 24 hours",
                    PRINT_JOB + " = every 24 hours",
                    EXIT_JOB + " = every 24 hours")));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  /**
   * The folder {@code dir/folder} as app {@code app}, recording requests to {@code
   * folder.requests}, with {@code production} lines and a {@code [cron]} section of {@code jobs}.
   */
  private static Path app(String folder, String app, String production, String... jobs) {
    String requests = requestsFile(folder).toString();
    return TestApps.write(
        dir.resolve(folder),
        Map.of(
            "app.py",
            APP_PY,
            "app.ini",
            TestApps.commandIni(app, "python3 app.py", production + "env.requests = " + requests)
                + "\n[cron]\n"
                + String.join("\n", jobs)
                + "\n"));
  }

  private static Path requestsFile(String folder) {
    return dir.resolve(folder + ".requests");
  }

  /** Lets the app of {@code folder} answer {@code /cron/slow}, now and from now on. */
  private static void release(String folder) throws Exception {
    Files.writeString(dir.resolve(folder + ".requests.release"), "");
  }

  /** The requests the app of {@code folder} received for {@code path}. */
  private static List<JsonNode> requests(String folder, String path) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    Path file = requestsFile(folder);
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file)) {
        JsonNode r = JSON.readTree(line);
        if (r.get("path").asText().equals(path)) {
          out.add(r);
        }
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> jobs(Node n, String location) throws Exception {
    return n.jobs().cronJobs(location).jobs();
  }

  private static List<String> jobNames(Node n, String location) throws Exception {
    return jobs(n, location).stream().map(j -> (String) j.get("job")).toList();
  }

  private static Map<String, Object> job(Node n, String location, String name) throws Exception {
    return jobs(n, location).stream()
        .filter(j -> j.get("job").equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no job " + name + " at " + location));
  }

  private static String cronLog(Node n, String app) throws Exception {
    Path file = n.layout().appLogsDir(app).resolve("cron.log");
    return Files.exists(file) ? Files.readString(file) : "";
  }

  /** The runs of a job in {@code root}'s state.db, oldest first, read as another process would. */
  private static List<StateStore.CronRunRecord> runsInStateDb(
      Path root, String location, String job) throws Exception {
    List<StateStore.CronRunRecord> out = new ArrayList<>();
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + root.resolve("state.db"));
        PreparedStatement q =
            db.prepareStatement(
                "SELECT location, job, scheduled, started, millis, status, output FROM cron_runs"
                    + " WHERE location = ? AND job = ? ORDER BY id")) {
      q.setString(1, location);
      q.setString(2, job);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.add(
              new StateStore.CronRunRecord(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getLong(5),
                  rs.getString(6),
                  rs.getString(7)));
        }
      }
    }
    return out;
  }

  private static void insertRun(Path root, String location, String job, Instant scheduled)
      throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + root.resolve("state.db"));
        PreparedStatement s =
            db.prepareStatement(
                "INSERT INTO cron_runs(location, job, scheduled, started, millis, status, output)"
                    + " VALUES (?, ?, ?, ?, 12, 'ok', '200 done')")) {
      s.setString(1, location);
      s.setString(2, job);
      s.setString(3, scheduled.toString());
      s.setString(4, scheduled.toString());
      s.executeUpdate();
    }
  }

  /** The scheduler of {@code n}, to see the jobs of a location the node no longer has. */
  private static CronScheduler scheduler(Node n) throws Exception {
    java.lang.reflect.Field f = Node.class.getDeclaredField("cron");
    f.setAccessible(true);
    return (CronScheduler) f.get(n);
  }

  @Test
  void everyJobIsListedWithItsScheduleAndANextRunADayAhead() throws Exception {
    assertThat(jobNames(node, LOCATION))
        .containsExactlyInAnyOrder("/cron/hello", "/cron/fail", "/cron/slow", PRINT_JOB, EXIT_JOB);
    Map<String, Object> hello = job(node, LOCATION, "/cron/hello");
    assertThat(hello).containsEntry("kind", "url").containsEntry("schedule", "every 24 hours");
    Instant next = java.time.OffsetDateTime.parse((String) hello.get("next")).toInstant();
    assertThat(next)
        .isBetween(
            Instant.now().plus(23, ChronoUnit.HOURS), Instant.now().plus(1, ChronoUnit.DAYS));
    assertThat(job(node, LOCATION, PRINT_JOB)).containsEntry("kind", "command");
  }

  @Test
  void aUrlJobRunNowReachesTheAppAsAnInternalCronRequestAndIsRecorded() throws Exception {
    StateStore.CronRunRecord r = node.jobs().runCronJob(LOCATION, "/cron/hello");

    assertThat(r.status()).isEqualTo("ok");
    assertThat(r.output()).isEqualTo("200 done /cron/hello");
    assertThat(r.millis()).isGreaterThanOrEqualTo(0);
    List<JsonNode> seen = requests("main", "/cron/hello");
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).get("headers").path("x-silver-cron").asText()).isEqualTo("true");
    assertThat(seen.get(0).get("headers").path("x-silver-internal").asText()).isEqualTo("cron");

    List<StateStore.CronRunRecord> stored =
        runsInStateDb(node.layout().root(), LOCATION, "/cron/hello");
    assertThat(stored).containsExactly(r);
    StateStore.CronRunRecord last =
        (StateStore.CronRunRecord) job(node, LOCATION, "/cron/hello").get("last");
    assertThat(last).isEqualTo(r);
    assertThat(cronLog(node, APP))
        .containsPattern("(?m)^\\S+ /cron/hello ok \\d+ms 200 done /cron/hello$");
  }

  @Test
  void aUrlJobAnswering500IsRecordedFailedWithTheStatusAndTheAnswer() throws Exception {
    StateStore.CronRunRecord r = node.jobs().runCronJob(LOCATION, "/cron/fail");

    assertThat(r.status()).isEqualTo("failed");
    assertThat(r.output()).isEqualTo("500 boom: the report failed");
    assertThat(runsInStateDb(node.layout().root(), LOCATION, "/cron/fail")).containsExactly(r);
    assertThat(cronLog(node, APP))
        .containsPattern("(?m)^\\S+ /cron/fail failed \\d+ms 500 boom: the report failed$");
  }

  @Test
  void aCommandJobRunsInTheInstanceFolderWithTheAppsEnvironment() throws Exception {
    StateStore.CronRunRecord r = node.jobs().runCronJob(LOCATION, PRINT_JOB);

    assertThat(r.status()).as(r.output()).isEqualTo("ok");
    String[] lines = r.output().split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0])
        .isEqualTo("exit 0 " + node.layout().instanceDir(APP, instance).toRealPath().toString());
    Path files = Path.of(lines[1]);
    assertThat(files).isDirectory();
    assertThat(files.toRealPath()).startsWith(node.layout().root().toRealPath());
    assertThat(lines[2]).isEqualTo(APP);
    assertThat(runsInStateDb(node.layout().root(), LOCATION, PRINT_JOB)).containsExactly(r);
    assertThat(cronLog(node, APP)).contains(PRINT_JOB + " ok ");
  }

  @Test
  void aCommandJobExitingNonZeroIsRecordedFailedWithItsExitCodeAndOutput() throws Exception {
    StateStore.CronRunRecord r = node.jobs().runCronJob(LOCATION, EXIT_JOB);

    assertThat(r.status()).isEqualTo("failed");
    assertThat(r.output()).isEqualTo("exit 3 report: no data for today");
    assertThat(runsInStateDb(node.layout().root(), LOCATION, EXIT_JOB)).containsExactly(r);
    assertThat(cronLog(node, APP)).contains(EXIT_JOB + " failed ");
  }

  @Test
  void anUnknownJobIsAnErrorThatSaysHowToListTheJobs() {
    Throwable t = catchThrowable(() -> node.jobs().runCronJob(LOCATION, "/cron/nope"));

    assertThat(t).isInstanceOf(NotFoundException.class);
    assertThat(t.getMessage())
        .contains("no cron job '/cron/nope' at " + LOCATION, "silver cron " + LOCATION);
  }

  @Test
  void aJobStillRunningCannotBeStartedAgain() throws Exception {
    CompletableFuture<StateStore.CronRunRecord> first =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return node.jobs().runCronJob(LOCATION, "/cron/slow");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Boolean.TRUE.equals(job(node, LOCATION, "/cron/slow").get("running")));

    Throwable second = catchThrowable(() -> node.jobs().runCronJob(LOCATION, "/cron/slow"));

    assertThat(second)
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("running already");
    release("main");
    StateStore.CronRunRecord r = first.get(20, TimeUnit.SECONDS);
    assertThat(r.status()).isEqualTo("ok");
    assertThat(requests("main", "/cron/slow")).hasSize(1);
    assertThat(runsInStateDb(node.layout().root(), LOCATION, "/cron/slow")).containsExactly(r);
    assertThat(job(node, LOCATION, "/cron/slow")).containsEntry("running", false);
  }

  @Test
  void aRunGoingOnWhenTheAppIsRedeployedFinishesAndStillBlocksASecondRun() throws Exception {
    String location = "overlap.test";
    String v1 =
        TestApps.deploy(
            node,
            "overlap",
            location,
            TestApps.pack(app("overlap-v1", "overlap", "", "/cron/slow = every 24 hours")));
    CompletableFuture<StateStore.CronRunRecord> first =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return node.jobs().runCronJob(location, "/cron/slow");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> requests("overlap-v1", "/cron/slow").size() == 1);

    // The redeploy switches at once, then drains the old instance until the run ends.
    CompletableFuture<String> redeploy =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return TestApps.deploy(
                    node,
                    "overlap",
                    location,
                    TestApps.pack(app("overlap-v2", "overlap", "", "/cron/slow = every 24 hours")));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> !v1.equals(active(location)));
    assertThat(first).as("the run on the old instance is still going").isNotDone();

    assertThat(catchThrowable(() -> node.jobs().runCronJob(location, "/cron/slow")))
        .hasMessageContaining("running already");
    release("overlap-v1");
    assertThat(first.get(30, TimeUnit.SECONDS).status())
        .as("the run on the old instance was not cut short by the redeploy")
        .isEqualTo("ok");
    assertThat(redeploy.get(30, TimeUnit.SECONDS)).isEqualTo(active(location));
    assertThat(requests("overlap-v2", "/cron/slow")).isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static String active(String location) throws Exception {
    for (Map<String, Object> l :
        (List<Map<String, Object>>) node.status().query().get("locations")) {
      if (l.get("location").equals(location)) {
        return (String) l.get("active");
      }
    }
    return null;
  }

  @Test
  void aRedeployWithAChangedCronSectionListsTheNewJobsOnlyAndDeactivatingRemovesThem()
      throws Exception {
    String location = "change.test";
    TestApps.deploy(
        node,
        "changing",
        location,
        TestApps.pack(
            app("change-v1", "changing", "", "/a = every 24 hours", "/b = every 5 minutes")));
    assertThat(jobNames(node, location)).containsExactly("/a", "/b");

    TestApps.deploy(
        node,
        "changing",
        location,
        TestApps.pack(
            app(
                "change-v2",
                "changing",
                "",
                "timezone = Europe/Berlin",
                "/b = every 10 minutes",
                "/c = every day 03:00")));

    List<Map<String, Object>> jobs = jobs(node, location);
    assertThat(jobs).extracting(j -> j.get("job")).containsExactly("/b", "/c");
    assertThat(jobs)
        .extracting(j -> j.get("schedule"))
        .containsExactly("every 10 minutes", "every day 03:00");
    assertThat(jobs).extracting(j -> j.get("zone")).containsOnly("Europe/Berlin");
    assertThat(node.jobs().runCronJob(location, "/c").status()).isEqualTo("ok");
    assertThat(requests("change-v2", "/c")).hasSize(1);
    assertThat(catchThrowable(() -> node.jobs().runCronJob(location, "/a")))
        .hasMessageContaining("no cron job '/a'");

    node.releases().deactivate(location, "test");

    assertThat(scheduler(node).describe(location)).isEmpty();
    assertThat(catchThrowable(() -> node.jobs().cronJobs(location)))
        .isInstanceOf(NotFoundException.class);
    assertThat(jobNames(node, LOCATION)).hasSize(5);
  }

  @Test
  void aDeploymentWhoseCronScheduleDoesNotParseFailsAtUnpackNamingTheLineAndAnExample()
      throws Exception {
    byte[] upload = TestApps.pack(app("bad", APP, "", "/cron/hello = every blue moon"));

    Throwable t = catchThrowable(() -> TestApps.deploy(node, APP, LOCATION, upload));

    assertThat(t).isInstanceOf(DeployFailedException.class);
    assertThat(((DeployFailedException) t).stage()).isEqualTo("unpack");
    assertThat(t.getMessage())
        .containsPattern("app\\.ini:7: ")
        .contains("every blue moon", "e.g. every 5 minutes");
    assertThat(node.jobs().cronJobs(LOCATION).app()).isEqualTo(APP);
    assertThat(jobNames(node, LOCATION)).contains("/cron/hello");
  }

  @Test
  void aRunMissedWhileTheNodeWasDownRunsOnceOnStart() throws Exception {
    Path root = dir.resolve("missed-node");
    String location = "missed.test";
    Node first = TestApps.startNode(root);
    try {
      TestApps.deploy(
          first,
          "missed",
          location,
          TestApps.pack(app("missed", "missed", "", "/cron/hello = every 24 hours")));
    } finally {
      first.close();
    }
    insertRun(root, location, "/cron/hello", Instant.now().minus(2, ChronoUnit.DAYS));

    Instant restarted = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    try (Node again = TestApps.startNode(root)) {
      // Once the next run is tomorrow's, the missed run is done with and no other comes today.
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  runsInStateDb(root, location, "/cron/hello").size() >= 2
                      && java.time.OffsetDateTime.parse(
                              (String) job(again, location, "/cron/hello").get("next"))
                          .toInstant()
                          .isAfter(Instant.now().plus(23, ChronoUnit.HOURS)));

      List<StateStore.CronRunRecord> runs = runsInStateDb(root, location, "/cron/hello");
      assertThat(runs).hasSize(2);
      StateStore.CronRunRecord missed = runs.get(1);
      assertThat(missed.status()).as(missed.output()).isEqualTo("ok");
      assertThat(Instant.parse(missed.scheduled())).isAfterOrEqualTo(restarted);
      assertThat(requests("missed", "/cron/hello")).hasSize(1);
      assertThat(
              requests("missed", "/cron/hello")
                  .get(0)
                  .get("headers")
                  .path("x-silver-cron")
                  .asText())
          .isEqualTo("true");
      Instant next =
          java.time.OffsetDateTime.parse((String) job(again, location, "/cron/hello").get("next"))
              .toInstant();
      assertThat(next).isAfter(Instant.now().plus(23, ChronoUnit.HOURS));
    }
  }

  @Test
  void aRunThatComesDueWhileTheJobIsStillRunningIsRecordedSkipped() throws Exception {
    Path root = dir.resolve("skip-node");
    String location = "skip.test";
    Node first = TestApps.startNode(root);
    try {
      TestApps.deploy(
          first,
          "skipping",
          location,
          TestApps.pack(app("skip", "skipping", "", "/cron/slow = every 24 hours")));
    } finally {
      first.close();
    }
    // Due at once when the node starts; the scheduler's first look is a second later, by which
    // time the run asked for below holds the job (it waits for the app to start, then for the
    // test to release it once the scheduler has recorded its run skipped).
    insertRun(root, location, "/cron/slow", Instant.now().minus(2, ChronoUnit.DAYS));

    try (Node again = TestApps.startNode(root)) {
      CompletableFuture<StateStore.CronRunRecord> asked =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return again.jobs().runCronJob(location, "/cron/slow");
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  runsInStateDb(root, location, "/cron/slow").stream()
                      .anyMatch(run -> run.status().equals("skipped")));
      release("skip");
      StateStore.CronRunRecord r = asked.get(30, TimeUnit.SECONDS);
      assertThat(r.status()).as(r.output()).isEqualTo("ok");

      List<StateStore.CronRunRecord> runs = runsInStateDb(root, location, "/cron/slow");
      assertThat(runs)
          .extracting(StateStore.CronRunRecord::status)
          .containsExactly("ok", "skipped", "ok");
      assertThat(runs.get(1).output()).isEqualTo("the previous run was still going");
      assertThat(requests("skip", "/cron/slow")).hasSize(1);
      assertThat(cronLog(again, "skipping")).contains("/cron/slow skipped 0ms");
    }
  }
}

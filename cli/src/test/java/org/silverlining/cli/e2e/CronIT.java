package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code silver cron} as a user runs it against a real node: the jobs of an app's {@code [cron]}
 * section listed with their schedule and next run, one run on demand with its result in the exit
 * code, and the mistakes (an unknown job, a schedule that does not parse) told plainly.
 */
class CronIT {
  private static final String LOCATION = "cron.test";

  /** Answers GET {@code /cron/fail} with 500 and anything else with 200 and the path. */
  private static final String APP_PY =
      """
      import http.server, os

      class H(http.server.BaseHTTPRequestHandler):
          def log_message(self, *args):
              pass

          def do_GET(self):
              failing = self.path == "/cron/fail"
              body = (("boom" if failing else "done " + self.path) + "\\n").encode()
              self.send_response(500 if failing else 200)
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)

      http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
      """;

  @TempDir static Path dir;
  static TestNode node;

  @BeforeAll
  static void deployAnAppWithCronJobs() throws Exception {
    node = TestNode.start(dir);
    Path app =
        app(
            "cronapp",
            "[cron]",
            "timezone = Europe/Berlin",
            "/cron/ok = every 5 minutes",
            "/cron/fail = every day 03:00");
    TestNode.Result r = node.silver("update", app.toString(), LOCATION);
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  private static Path app(String name, String... appIniLines) throws Exception {
    Path app = dir.resolve("apps").resolve(name);
    Files.createDirectories(app);
    Files.writeString(app.resolve("app.py"), APP_PY);
    Files.writeString(
        app.resolve("app.ini"),
        "[production]\napp_name = "
            + name
            + "\nruntime = command\nrunner = python3 app.py\n"
            + String.join("\n", appIniLines)
            + "\n");
    return app;
  }

  private static void assertNoStackTrace(TestNode.Result r) {
    assertThat(r.output()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void cronListsEveryJobWithItsScheduleZoneAndNextRun() throws Exception {
    TestNode.Result r = node.silver("cron", LOCATION);

    assertThat(r.exitCode()).as(r.output()).isZero();
    List<String> lines = r.stdout().lines().toList();
    assertThat(lines.get(0)).matches("JOB\\s+SCHEDULE\\s+NEXT RUN\\s+LAST RUN");
    String next = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?\\+0[12]:00";
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .matches(
                        "/cron/fail\\s+every day 03:00 Europe/Berlin\\s+"
                            + next.replace("\\d\\d:\\d\\d(", "03:00(")
                            + "\\s+(never|\\S+ at .*)"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .matches(
                        "/cron/ok\\s+every 5 minutes Europe/Berlin\\s+"
                            + next
                            + "\\s+(never|\\S+ at .*)"));
  }

  @Test
  void cronRunRunsAJobNowPrintsOkAndTheListingShowsTheResult() throws Exception {
    TestNode.Result r = node.silver("cron", LOCATION, "--run", "/cron/ok");

    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout()).matches("(?s)/cron/ok: ok in \\d+ ms\\n200 done /cron/ok\\n");
    assertThat(node.silver("cron", LOCATION).stdout())
        .containsPattern("(?m)^/cron/ok\\s.*\\sok at \\S+ \\(\\d+ ms\\)$");
    assertThat(Files.readString(node.root().resolve("logs/apps/cronapp/cron.log")))
        .containsPattern("(?m)^\\S+ /cron/ok ok \\d+ms 200 done /cron/ok$");
  }

  @Test
  void cronRunOfAFailingJobPrintsTheAnswerAndExits1() throws Exception {
    TestNode.Result r = node.silver("cron", LOCATION, "--run", "/cron/fail");

    assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
    assertThat(r.stdout()).matches("(?s)/cron/fail: failed in \\d+ ms\\n500 boom\\n");
    assertNoStackTrace(r);
  }

  @Test
  void cronRunOfAnUnknownJobSaysSoAndHowToListTheJobs() throws Exception {
    TestNode.Result r = node.silver("cron", LOCATION, "--run", "/cron/nope");

    assertThat(r.exitCode()).as(r.output()).isNotZero();
    assertThat(r.stderr())
        .contains("no cron job '/cron/nope' at " + LOCATION, "silver cron " + LOCATION);
    assertNoStackTrace(r);
  }

  @Test
  void cronOfALocationWithNothingDeployedIsAClearError() throws Exception {
    TestNode.Result r = node.silver("cron", "nothing.test");

    assertThat(r.exitCode()).as(r.output()).isNotZero();
    assertThat(r.stderr()).contains("nothing.test");
    assertNoStackTrace(r);
  }

  @Test
  void updateWithAScheduleThatDoesNotParseFailsBeforeUploadingNamingTheLineAndAnExample()
      throws Exception {
    Path app = app("badcron", "[cron]", "/ok = every 5 minutes", "/x = every blue moon");

    TestNode.Result r = node.silver("update", app.toString(), "bad.test");

    assertThat(r.exitCode()).as(r.output()).isNotZero();
    assertThat(r.stderr())
        .contains(app.resolve("app.ini") + ":7:", "/x", "every blue moon", "e.g. every 5 minutes");
    assertThat(r.stdout()).doesNotContain("upload");
    assertNoStackTrace(r);
    assertThat(node.silver("cron", "bad.test").exitCode()).isNotZero();
  }
}

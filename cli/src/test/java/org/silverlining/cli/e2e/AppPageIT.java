package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * An app's page and the deploy page in a real browser (headless Chromium) against a real node: the
 * graphs drawn from the node's history, the deployments with a diff, the live log showing a new
 * traceback, and each action confirmed and done end to end — disable and enable (the front answers
 * 503, then 200), rollback, run a cron job, retry a dead task, back up now, revert the
 * configuration, apply the headers middleware pack and remove it (the app's answers change) — and
 * an app folder deployed from a zip, hostile zips refused with the reason.
 */
class AppPageIT {
  private static final String PASSWORD = "correct horse battery";
  private static final String LOCATION = "pages.test";

  /**
   * Version @V@. {@code /crash} writes a traceback to stderr and answers 500; {@code /enqueue}
   * queues a task to {@code /fail}, which always answers 500; a cron job's {@code /cron/ok} answers
   * 200; anything else answers with the version.
   */
  private static final String APP_PY =
      """
      import http.server, json, os, sys, traceback, urllib.request

      class H(http.server.BaseHTTPRequestHandler):
          def log_message(self, *args):
              pass

          def answer(self, status, text):
              body = (text + "\\n").encode()
              self.send_response(status)
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)

          def do_GET(self):
              if self.path == "/crash":
                  try:
                      1 / 0
                  except ZeroDivisionError:
                      traceback.print_exc()
                      sys.stderr.flush()
                  return self.answer(500, "crashed")
              if self.path == "/enqueue":
                  req = urllib.request.Request(
                      os.environ["SILVER_TASKS_URL"] + "/queues/default/tasks",
                      data=json.dumps({"path": "/fail", "name": "doomed"}).encode(), method="POST",
                      headers={"Authorization": "Bearer " + os.environ["SILVER_TASKS_TOKEN"],
                               "Content-Type": "application/json"})
                  with urllib.request.urlopen(req, timeout=30) as r:
                      return self.answer(r.status, r.read().decode())
              self.answer(200, "version @V@")

          def do_POST(self):
              self.rfile.read(int(self.headers.get("Content-Length") or 0))
              self.answer(500, "no")

      http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
      """;

  private static final String APP_INI =
      "[production]\napp_name = pages\nruntime = command\nrunner = python3 app.py\n"
          + "[cron]\n/cron/ok = every day 03:00\n"
          + "[queue:default]\nretry_limit = 0\n";

  @TempDir static Path dir;
  static TestNode node;
  static Browser browser;
  static String first;
  static String second;

  @BeforeAll
  static void twoVersionsWithTwoConfigurationsAndAnAdmin() throws Exception {
    node = TestNode.start(dir.resolve("node"));
    Path config = Files.createDirectories(dir.resolve("config"));
    Files.writeString(config.resolve("settings.ini"), "colour = blue\n");
    first = TestNode.liveInstance(deploy(app("1"), "--config", config.toString()));
    Files.writeString(config.resolve("settings.ini"), "colour = green\n");
    second = TestNode.liveInstance(deploy(app("2"), "--config", config.toString()));
    TestNode.Result user =
        node.run(List.of("admin-user", "add", "ada", "--password-stdin"), PASSWORD + "\n");
    assertThat(user.exitCode()).as(user.output()).isZero();
    browser = Browser.start();
    browser.login(dashboard(), "ada", PASSWORD, null);
    browser.waitFor("[data-app=\"pages\"]");
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (node != null) {
      node.close();
    }
  }

  static Path app(String version) throws IOException {
    Path d = Files.createDirectories(dir.resolve("apps/pages-" + version));
    Files.writeString(d.resolve("app.py"), APP_PY.replace("@V@", version));
    Files.writeString(d.resolve("app.ini"), APP_INI);
    return d;
  }

  static TestNode.Result deploy(Path app, String... more) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("update", app.toString(), LOCATION));
    args.addAll(List.of(more));
    TestNode.Result r = node.silver(args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r;
  }

  static String dashboard() {
    return "http://127.0.0.1:" + node.adminPort() + "/";
  }

  void openAppPage() {
    browser.open(dashboard() + "apps/pages");
    browser.waitFor("[data-deployment]");
  }

  /**
   * Clicks the button {@code data-action=hook} (the first, or the one in a row containing {@code
   * rowText}), then confirms.
   */
  String act(String hook, String rowText) {
    openAppPage();
    WebElement button =
        rowText == null
            ? browser.waitFor("[data-action=\"" + hook + "\"]")
            : browser
                .driver()
                .findElement(
                    By.xpath(
                        "//tr[contains(., '"
                            + rowText
                            + "')]//button[@data-action='"
                            + hook
                            + "']"));
    button.click();
    WebElement confirm = browser.waitFor("[data-confirm=\"" + hook + "\"]");
    assertThat(browser.text()).contains("?");
    confirm.click();
    return browser.waitFor("[role=status], [role=alert]").getText();
  }

  @Test
  void thePageShowsGraphsDeploymentsAndEverySection() throws Exception {
    for (int i = 0; i < 20; i++) {
      node.get(LOCATION, "/");
    }
    openAppPage();
    for (String g : List.of("requests", "latency", "errors", "cpu", "memory")) {
      browser.waitFor("[data-graph=\"" + g + "\"] canvas");
    }
    assertThat(browser.all("[data-deployment]")).hasSizeGreaterThanOrEqualTo(2);
    assertThat(browser.text())
        .contains(
            first,
            second,
            "Cron jobs",
            "/cron/ok",
            "Task queues",
            "Checkpoints and backups",
            "Configuration revisions",
            "Error groups");
    browser.screenshot(shot("app-page"));

    // for a screen reader: one h1, each section named by its h2, every field labelled, and each
    // button in a table row says what it acts on
    assertThat(browser.all("main h1")).hasSize(1);
    for (WebElement section : browser.all("main section")) {
      String by = section.getAttribute("aria-labelledby");
      assertThat(browser.all("h2#" + by))
          .as("the heading of #%s", section.getAttribute("id"))
          .hasSize(1);
    }
    for (WebElement field :
        browser.all("main input:not([type=hidden]), main select, main textarea")) {
      String id = field.getAttribute("id");
      boolean wrapped = !field.findElements(By.xpath("ancestor::label")).isEmpty();
      assertThat(
              wrapped
                  || (id != null
                      && !id.isEmpty()
                      && !browser.all("label[for=\"" + id + "\"]").isEmpty()))
          .as("a label for the field %s", field.getAttribute("name"))
          .isTrue();
    }
    for (WebElement button : browser.all("td button[data-action]")) {
      assertThat(button.getAttribute("aria-label"))
          .as(button.getText())
          .startsWith(button.getText() + " ");
    }
  }

  @Test
  void theLiveLogShowsANewTracebackAsItIsWritten() throws Exception {
    openAppPage();
    browser.waitFor("[data-log]");
    Thread.sleep(500); // the stream is open
    assertThat(node.get(LOCATION, "/crash").statusCode()).isEqualTo(500);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(browser.waitFor("[data-log]").getText()).contains("ZeroDivisionError"));
  }

  @Test
  void disableAsksFirstThenTheFrontAnswers503UntilEnabled() throws Exception {
    openAppPage();
    browser.waitFor("[data-action=\"disable\"]").click();
    browser.waitFor("[data-confirm]");
    assertThat(node.get(LOCATION, "/").statusCode())
        .as("not before the confirmation")
        .isEqualTo(200);
    browser.screenshot(shot("confirm"));
    browser.waitFor("[data-confirm]").click();
    assertThat(browser.waitFor("[role=status]").getText()).contains("pages is disabled");
    assertThat(node.get(LOCATION, "/").statusCode()).isEqualTo(503);

    browser.waitFor("[data-action=\"enable\"]").click();
    browser.waitFor("[data-confirm]").click();
    assertThat(browser.waitFor("[role=status]").getText()).contains("enabled again");
    assertThat(node.get(LOCATION, "/").statusCode()).isEqualTo(200);
  }

  @Test
  void runNowRunsTheCronJob() throws Exception {
    assertThat(act("run-cron", "/cron/ok")).contains("Cron job /cron/ok ran in", ": ok");
    assertThat(Files.readString(node.root().resolve("logs/apps/pages/cron.log")))
        .contains("/cron/ok ok");
  }

  @Test
  void retryQueuesADeadTaskAgain() throws Exception {
    assertThat(node.get(LOCATION, "/enqueue").statusCode()).isEqualTo(201);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(node.silver("tasks", LOCATION).stdout())
                    .containsPattern("(?m)^default\\s.*\\s1$"));
    assertThat(act("retry", "doomed")).contains("is queued again");
  }

  @Test
  void backUpNowKeepsABackupOnTheNode() throws Exception {
    assertThat(act("backup", null)).contains("Backup ", "is written and kept on this node");
    openAppPage();
    assertThat(browser.text()).contains("by hand: ada");
    assertThat(node.silver("backups", LOCATION).stdout()).contains("by hand: ada");
  }

  @Test
  void revertReturnsTheConfigurationToAnEarlierRevision() throws Exception {
    assertThat(act("revert", null)).contains("is back to revision 1");
  }

  @Test
  void rollbackServesThePreviousInstanceAgainAndActivateTheOtherOne() throws Exception {
    Matcher m =
        Pattern.compile("is served by (\\S+) again; (\\S+) stopped").matcher(act("rollback", null));
    assertThat(m.find()).isTrue();
    String replaced = m.group(2);
    assertThat(act("activate", replaced)).contains(replaced + " serves " + LOCATION);
  }

  @Test
  void theHeadersPackAppliedAndRemovedFromThePageChangesTheAppsAnswers() throws Exception {
    assertThat(node.get(LOCATION, "/").headers().firstValue("X-Frame-Options")).isEmpty();

    assertThat(applyHeaders("frame=DENY\nnot a setting"))
        .as("a line that is not KEY=VALUE")
        .contains("line 2 of the settings is not KEY=VALUE");
    assertThat(applyHeaders("frame=MAYBE"))
        .as("a value the pack refuses")
        .contains("frame is one of DENY, SAMEORIGIN, not 'MAYBE'");
    assertThat(node.silver("show-middleware", LOCATION).stdout()).contains("No middleware");

    String outcome = applyHeaders("frame=DENY\n\nheader.X-Applied-By=the dashboard\n");
    assertThat(outcome).contains("Apply headers at " + LOCATION, "packs in order: headers");
    var answer = node.get(LOCATION, "/");
    assertThat(answer.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(answer.headers().firstValue("X-Applied-By")).hasValue("the dashboard");
    WebElement row = browser.waitFor("[data-pack=headers]");
    assertThat(row.getText()).contains("frame=DENY", "header.X-Applied-By=the dashboard");
    assertThat(node.silver("show-middleware", LOCATION, "--revisions").stdout())
        .containsPattern("ada\\s+Apply headers");

    assertThat(act("remove-middleware", "X-Applied-By"))
        .contains("Remove headers at " + LOCATION, "packs in order: none");
    answer = node.get(LOCATION, "/");
    assertThat(answer.headers().firstValue("X-Frame-Options")).isEmpty();
    assertThat(answer.headers().firstValue("X-Applied-By")).isEmpty();
    assertThat(browser.all("[data-pack]")).isEmpty();
  }

  /**
   * Fills the app page's apply form with the headers pack and {@code settings}; confirms when the
   * confirmation comes (the settings shown on it, nothing changed before). The outcome or refusal.
   */
  private String applyHeaders(String settings) throws Exception {
    openAppPage();
    new Select(browser.waitFor("select[name=pack]")).selectByValue("headers");
    browser.waitFor("textarea[name=settings]").sendKeys(settings);
    browser.waitFor("[data-action=\"apply-middleware\"]").click();
    WebElement shown = browser.waitFor("[data-confirm], [role=alert]");
    if (shown.getAttribute("data-confirm") == null) {
      return shown.getText();
    }
    assertThat(browser.text()).contains("Apply the middleware pack headers to " + LOCATION);
    if (settings.startsWith("frame=DENY\n\n")) {
      assertThat(browser.text()).contains("frame = DENY", "header.X-Applied-By = the dashboard");
      assertThat(browser.driver().getCurrentUrl()).doesNotContain("DENY");
      assertThat(node.get(LOCATION, "/").headers().firstValue("X-Frame-Options"))
          .as("not before the confirmation")
          .isEmpty();
      browser.screenshot(shot("middleware-confirm"));
    }
    shown.click();
    return browser.waitFor("[role=status], [role=alert]").getText();
  }

  @Test
  void theDiffOfTwoDeploymentsListsTheFilesThatDiffer() {
    browser.open(
        dashboard() + "apps/pages/diff?location=" + LOCATION + "&a=" + first + "&b=" + second);
    browser.waitFor("[data-diff]");
    assertThat(browser.text()).contains("changed", "app.py").doesNotContain("app.ini");
  }

  @Test
  void aZipOfAnAppFolderIsDeployedWithItsStagesShown() throws Exception {
    Path zip =
        zip(
            "good.zip",
            List.of("pages/app.py", "pages/app.ini"),
            List.of(APP_PY.replace("@V@", "3"), APP_INI));
    browser.open(dashboard() + "deploy");
    browser.waitFor("input[name=zip]").sendKeys(zip.toString());
    browser.driver().findElement(By.name("location")).sendKeys(LOCATION);
    browser.screenshot(shot("deploy"));
    browser.waitFor("[data-action=deploy]").click();
    await()
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions() // the page reloads itself until the deployment ends
        .untilAsserted(
            () ->
                assertThat(browser.waitFor("[data-deploy]").getAttribute("data-deploy"))
                    .isNotEqualTo("running"));
    assertThat(browser.waitFor("[data-deploy]").getAttribute("data-deploy"))
        .as(browser.text())
        .isEqualTo("ok");
    assertThat(browser.text()).contains("unpack", "serves " + LOCATION);
    assertThat(node.get(LOCATION, "/").body()).contains("version 3");
  }

  @Test
  void hostileZipsAreRefusedWithTheReasonAndNothingIsDeployed() throws Exception {
    String before = node.get(LOCATION, "/").body();
    assertThat(
            upload(
                zip("evil.zip", List.of("app.ini", "../../escape.sh"), List.of(APP_INI, "boom"))))
        .contains("the entry '../../escape.sh' leaves the app's folder");
    assertThat(dir.resolve("escape.sh")).doesNotExist();
    assertThat(upload(Files.writeString(dir.resolve("not.zip"), "plain text")))
        .contains("it is not a zip archive");
    assertThat(upload(zip("empty.zip", List.of("readme.txt"), List.of("no app here"))))
        .contains("app.ini must be at its top");
    assertThat(node.get(LOCATION, "/").body()).isEqualTo(before);
  }

  private String upload(Path zip) {
    browser.open(dashboard() + "deploy");
    browser.waitFor("input[name=zip]").sendKeys(zip.toString());
    browser.driver().findElement(By.name("location")).sendKeys(LOCATION);
    browser.waitFor("[data-action=deploy]").click();
    return browser.waitFor("[role=alert]").getText();
  }

  private static Path zip(String name, List<String> entries, List<String> contents)
      throws IOException {
    Path zip = dir.resolve(name);
    try (OutputStream f = Files.newOutputStream(zip);
        ZipOutputStream z = new ZipOutputStream(f)) {
      for (int i = 0; i < entries.size(); i++) {
        z.putNextEntry(new ZipEntry(entries.get(i)));
        z.write(contents.get(i).getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
      }
    }
    return zip;
  }

  /**
   * Where a screenshot goes: SCREENSHOTS (the docs' folder when refreshing them), else the test's
   * folder.
   */
  private static Path shot(String name) throws IOException {
    String to = System.getenv("DASHBOARD_SCREENSHOTS");
    Path folder = to == null ? dir : Files.createDirectories(Path.of(to));
    return folder.resolve("dashboard-" + name + ".png");
  }
}

package org.silverlining.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.Node;
import org.silverlining.node.TestApps;
import org.silverlining.node.control.Releases;
import org.silverlining.node.deploy.DeployFailedException;
import org.silverlining.node.deploy.Deployer;
import org.silverlining.node.steps.Progress;

/**
 * Configuration revisions through an in-process node's deploy pipeline: an upload with the code
 * becomes a revision the app reads at SILVER_APP_CONFIG, a change without code starts a new
 * instance with it, a revert restores exactly the old files, and a configuration the checker or
 * {@code config.required} rejects leaves the live instance and the history untouched.
 */
class ConfigDeploymentTest {
  /** Answers GET /NAME with the file NAME of SILVER_APP_CONFIG (404 when missing). */
  private static final String APP_PY =
      """
      import http.server, os

      class H(http.server.BaseHTTPRequestHandler):
          def log_message(self, *args):
              pass

          def do_GET(self):
              p = os.path.join(os.environ["SILVER_APP_CONFIG"], self.path.lstrip("/"))
              ok = os.path.isfile(p)
              body = (open(p).read() if ok else "missing").encode()
              self.send_response(200 if ok else 404)
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)

      http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
      """;

  /** Fails, printing why, when settings.ini says bad. */
  private static final String CHECK_PY =
      """
      import os, sys
      p = os.path.join(os.environ["SILVER_APP_CONFIG"], "settings.ini")
      if os.path.isfile(p) and "bad" in open(p).read():
          print("settings.ini: 'bad' is not a colour")
          sys.exit(3)
      """;

  @TempDir static Path dir;
  static Node node;
  static HttpClient http;

  @BeforeAll
  static void startNode() throws Exception {
    node = TestApps.startNode(dir.resolve("node"));
    http = new HttpClient();
    http.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (http != null) {
      http.stop();
    }
    if (node != null) {
      node.close();
    }
  }

  private static Path app(String app, String folder, String moreIni) {
    return TestApps.write(
        dir.resolve(folder),
        Map.of(
            "app.py",
            APP_PY,
            "check.py",
            CHECK_PY,
            "defaults/settings.ini",
            "colour = default\n",
            "app.ini",
            TestApps.commandIni(app, "python3 app.py", moreIni)));
  }

  private static Path config(String folder, Map<String, String> files) {
    return TestApps.write(dir.resolve(folder), files);
  }

  private static String deploy(String app, String location, Path code, ConfigChange change)
      throws Exception {
    return node.deployer()
        .deploy(
            new Deployer.Request(app, location, false, null, "tester"),
            new ByteArrayInputStream(TestApps.pack(code)),
            change,
            Progress.NONE);
  }

  private static String get(String host, String path) throws Exception {
    var r =
        http.newRequest("127.0.0.1", node.httpPort())
            .path(path)
            .headers(h -> h.put("Host", host))
            .send();
    return r.getStatus() + " " + r.getContentAsString();
  }

  private static int liveRevision(String location) throws Exception {
    return node.configView().history(location).activeRevision();
  }

  @Test
  void aConfigurationUploadedWithTheCodeIsRevisionOneAndTheAppReadsIt() throws Exception {
    Path code = app("one", "one", "");
    Path cfg = config("one-cfg", Map.of("settings.ini", "colour = blue\n"));

    String instance = deploy("one", "one.test", code, ConfigChange.upload(cfg, ""));

    assertThat(get("one.test", "/settings.ini")).isEqualTo("200 colour = blue\n");
    assertThat(node.configView().history("one.test").current()).isEqualTo(1);
    assertThat(liveRevision("one.test")).isEqualTo(1);
    assertThat(node.configView().history("one.test").active()).isEqualTo(instance);
  }

  @Test
  void aChangeWithoutCodeStartsANewInstanceAndARevertRestoresExactlyTheOldFiles() throws Exception {
    Path code = app("two", "two", "");
    String first =
        deploy(
            "two",
            "two.test",
            code,
            ConfigChange.upload(config("two-a", Map.of("settings.ini", "colour = blue\n")), ""));

    String second =
        node.deployer()
            .reconfigure(
                "two.test",
                ConfigChange.upload(
                    config(
                        "two-b",
                        Map.of("settings.ini", "colour = green\n", "extra.ini", "x = 1\n")),
                    "greener"),
                "tester",
                Progress.NONE);

    assertThat(second).isNotEqualTo(first);
    assertThat(get("two.test", "/settings.ini")).isEqualTo("200 colour = green\n");
    assertThat(get("two.test", "/extra.ini")).isEqualTo("200 x = 1\n");
    assertThat(liveRevision("two.test")).isEqualTo(2);

    node.deployer()
        .reconfigure(
            "two.test",
            ConfigChange.revert(node.configView().revisionNamed("two.test", "revert", "PREV")),
            "tester",
            Progress.NONE);

    assertThat(get("two.test", "/settings.ini")).isEqualTo("200 colour = blue\n");
    assertThat(get("two.test", "/extra.ini")).startsWith("404");
    assertThat(liveRevision("two.test")).isEqualTo(3);
    assertThat(node.configs().of("two").revisions())
        .extracting(Revision::message)
        .containsExactly("Revert to revision 1", "greener", "Upload the configuration");
  }

  @Test
  void aConfigurationTheCheckerRejectsIsNotRecordedAndTheLiveInstanceStays() throws Exception {
    Path code = app("three", "three", "config.checker = python3 check.py\n");
    String live =
        deploy(
            "three",
            "three.test",
            code,
            ConfigChange.upload(config("three-a", Map.of("settings.ini", "colour = red\n")), ""));

    Throwable t =
        catchThrowable(
            () ->
                node.deployer()
                    .reconfigure(
                        "three.test",
                        ConfigChange.upload(
                            config("three-b", Map.of("settings.ini", "colour = bad\n")), ""),
                        "tester",
                        Progress.NONE));

    assertThat(t).isInstanceOf(DeployFailedException.class);
    assertThat(((DeployFailedException) t).stage()).isEqualTo("config");
    assertThat(t.getMessage()).contains("exit code 3", "'bad' is not a colour");
    assertThat(node.configs().of("three").revisions()).hasSize(1);
    assertThat(node.configView().history("three.test").active()).isEqualTo(live);
    assertThat(get("three.test", "/settings.ini")).isEqualTo("200 colour = red\n");
  }

  @Test
  void aRequiredConfigurationCannotBeMissingNorDeleted() throws Exception {
    Path code = app("four", "four", "config.required = true\n");

    Throwable missing = catchThrowable(() -> deploy("four", "four.test", code, ConfigChange.KEEP));
    assertThat(missing).isInstanceOf(DeployFailedException.class).hasMessageContaining("--config");

    deploy(
        "four",
        "four.test",
        code,
        ConfigChange.upload(config("four-a", Map.of("settings.ini", "colour = red\n")), ""));
    Throwable deleted =
        catchThrowable(
            () ->
                node.deployer()
                    .reconfigure("four.test", ConfigChange.delete(), "tester", Progress.NONE));

    assertThat(deleted).isInstanceOf(DeployFailedException.class);
    assertThat(deleted.getMessage()).contains("config.required");
    assertThat(node.configs().of("four").revisions()).hasSize(1);
    assertThat(get("four.test", "/settings.ini")).isEqualTo("200 colour = red\n");
  }

  @Test
  void theDefaultFolderIsRecordedWhenNothingWasUploadedAndKeptOnTheNextDeploy() throws Exception {
    Path code = app("five", "five", "config.default = defaults\n");

    deploy("five", "five.test", code, ConfigChange.KEEP);
    deploy("five", "five.test", code, ConfigChange.KEEP);

    assertThat(get("five.test", "/settings.ini")).isEqualTo("200 colour = default\n");
    assertThat(node.configs().of("five").revisions())
        .extracting(Revision::message)
        .containsExactly("Default configuration (config.default)");
    assertThat(Files.isSymbolicLink(node.layout().appConfigCurrent("five"))).isTrue();
  }

  @Test
  void activateWithConfigOfAnInstanceThatCannotStartUndoesTheConfigurationItRecorded()
      throws Exception {
    Path marker = dir.resolve("seven-broken");
    Path code =
        TestApps.write(
            dir.resolve("seven"),
            Map.of(
                "app.py",
                "import os, sys\nif os.path.exists('" + marker + "'):\n    sys.exit(3)\n" + APP_PY,
                "app.ini",
                TestApps.commandIni("seven", "python3 app.py", "")));
    String red =
        deploy(
            "seven",
            "seven.test",
            code,
            ConfigChange.upload(config("seven-red", Map.of("settings.ini", "colour = red\n")), ""));
    String blue =
        deploy(
            "seven",
            "seven.test",
            code,
            ConfigChange.upload(
                config("seven-blue", Map.of("settings.ini", "colour = blue\n")), ""));
    Files.writeString(marker, "");

    assertThat(catchThrowable(() -> node.releases().activate("seven.test", red, true, "tester")))
        .isNotNull();

    assertThat(node.configView().history("seven.test").active()).isEqualTo(blue);
    assertThat(get("seven.test", "/settings.ini"))
        .as("the revision the config step recorded is undone")
        .isEqualTo("200 colour = blue\n");
    assertThat(node.configs().of("seven").revisions()).hasSize(4);
  }

  @Test
  void activateWithConfigThatTheCheckerRefusesLeavesTheLiveInstanceAndTheHistoryUntouched()
      throws Exception {
    Path marker = dir.resolve("six-refuse");
    Path code =
        TestApps.write(
            dir.resolve("six"),
            Map.of(
                "app.py",
                APP_PY,
                "check.py",
                "import os, sys\n"
                    + "if os.path.exists("
                    + "'"
                    + marker
                    + "'"
                    + "):\n"
                    + "    print('the payment service refuses these settings')\n"
                    + "    sys.exit(1)\n",
                "app.ini",
                TestApps.commandIni(
                    "six", "python3 app.py", "config.checker = python3 check.py\n")));
    String red =
        deploy(
            "six",
            "six.test",
            code,
            ConfigChange.upload(config("six-red", Map.of("settings.ini", "colour = red\n")), ""));
    String blue =
        deploy(
            "six",
            "six.test",
            code,
            ConfigChange.upload(config("six-blue", Map.of("settings.ini", "colour = blue\n")), ""));
    Files.writeString(marker, "");

    Throwable refused =
        catchThrowable(() -> node.releases().activate("six.test", red, true, "tester"));

    assertThat(refused).hasMessageContaining("the payment service refuses these settings");
    assertThat(refused).hasMessageContaining(blue + " is still live");
    assertThat(node.configView().history("six.test").active()).isEqualTo(blue);
    assertThat(node.configs().of("six").revisions()).hasSize(2);
    assertThat(get("six.test", "/settings.ini")).isEqualTo("200 colour = blue\n");

    Files.delete(marker);
    Releases.Activated done = node.releases().activate("six.test", red, true, "tester");

    assertThat(done.active()).isEqualTo(red);
    assertThat(done.configRevision()).isEqualTo(3);
    assertThat(done.ownConfigRevision()).isEqualTo(1);
    assertThat(done.configRecorded()).isTrue();
    assertThat(get("six.test", "/settings.ini")).isEqualTo("200 colour = red\n");
    Releases.Activated blueAgain = node.releases().activate("six.test", blue, false, "tester");
    assertThat(blueAgain.configRevision()).isEqualTo(3);
    assertThat(blueAgain.ownConfigRevision()).isEqualTo(2);
    assertThat(blueAgain.configIsOwn()).isFalse();
    assertThat(get("six.test", "/settings.ini")).isEqualTo("200 colour = red\n");
  }
}

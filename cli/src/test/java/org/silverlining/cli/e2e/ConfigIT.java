package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration as a user manages it with the real CLI against a real node: uploaded with the code,
 * listed, dumped, changed and reverted without a redeploy, copied from another location, refused
 * when the checker or {@code config.required} says no; and the global configuration delivered to
 * apps as a file.
 */
class ConfigIT {
  private static final String LOCATION = "cfg.test";

  /**
   * GET /config/NAME: file NAME of SILVER_APP_CONFIG; GET /global: the SILVER_GLOBAL_CONFIG file.
   */
  private static final String APP_PY =
      """
      import http.server, os

      class H(http.server.BaseHTTPRequestHandler):
          def log_message(self, *args):
              pass

          def do_GET(self):
              if self.path == "/global":
                  p = os.environ["SILVER_GLOBAL_CONFIG"]
              elif self.path == "/env":
                  p = None
              else:
                  p = os.path.join(os.environ["SILVER_APP_CONFIG"], self.path[len("/config/"):])
              if p is None:
                  body = repr(sorted(os.environ.items())).encode()
              else:
                  body = (open(p).read() if os.path.isfile(p) else "missing").encode()
              self.send_response(200)
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)

      http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
      """;

  private static final String CHECK_PY =
      """
      import os, sys
      p = os.path.join(os.environ["SILVER_APP_CONFIG"], "settings.ini")
      if not os.path.isfile(p) or "bad" in open(p).read():
          print("settings.ini must exist and not say bad")
          sys.exit(1)
      """;

  @TempDir static Path dir;
  static TestNode node;

  @BeforeAll
  static void deployWithAConfiguration() throws Exception {
    node = TestNode.start(dir);
    Path app = app("cfgapp", "config.checker = python3 check.py");
    TestNode.Result r =
        node.silver(
            "update",
            app.toString(),
            LOCATION,
            "--config",
            config("c1", "colour = blue").toString());
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout()).containsPattern("config\\s+revision 1 recorded");
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
    Files.writeString(app.resolve("check.py"), CHECK_PY);
    Files.writeString(
        app.resolve("app.ini"),
        "[production]\napp_name = "
            + name
            + "\nruntime = command\nrunner = python3 app.py\n"
            + String.join("\n", appIniLines)
            + "\n");
    return app;
  }

  private static Path config(String name, String settings) throws Exception {
    Path c = dir.resolve("configs").resolve(name);
    Files.createDirectories(c);
    Files.writeString(c.resolve("settings.ini"), settings + "\n");
    return c;
  }

  private static String seen(String host, String path) throws Exception {
    return node.get(host, path).body();
  }

  private static void assertNoStackTrace(TestNode.Result r) {
    assertThat(r.output()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void configChangesTheLiveConfigurationAndRevertPrevBringsTheOldOneBack() throws Exception {
    Path before = dir.resolve("before");
    assertThat(node.silver("config-query", LOCATION, "--dump=" + before).exitCode()).isZero();

    TestNode.Result c =
        node.silver("config", LOCATION, config("c2", "colour = green").toString(), "-m", "greener");

    assertThat(c.exitCode()).as(c.output()).isZero();
    assertThat(seen(LOCATION, "/config/settings.ini")).isEqualTo("colour = green\n");
    TestNode.Result q = node.silver("config-query", LOCATION);
    assertThat(q.stdout()).contains("greener").containsPattern("runs revision \\d+");

    TestNode.Result r = node.silver("config", LOCATION, "--revert", "PREV");

    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(seen(LOCATION, "/config/settings.ini"))
        .isEqualTo(Files.readString(before.resolve("settings.ini")));
    assertThat(node.silver("config-query", LOCATION).stdout()).contains("Revert to revision");
  }

  @Test
  void configQueryFilesListsTheFilesWithSizesAndDumpWritesThem() throws Exception {
    TestNode.Result f = node.silver("config-query", LOCATION, "--files", "--revision", "1");

    assertThat(f.exitCode()).as(f.output()).isZero();
    assertThat(f.stdout()).contains("Revision 1:").containsPattern("\\s+14\\s+settings.ini");

    Path out = dir.resolve("dump1");
    TestNode.Result d = node.silver("config-query", LOCATION, "--dump=" + out, "--revision", "1");
    assertThat(d.exitCode()).as(d.output()).isZero();
    assertThat(Files.readString(out.resolve("settings.ini"))).isEqualTo("colour = blue\n");
  }

  @Test
  void aConfigurationTheCheckerRejectsFailsWithItsOutputAndChangesNothing() throws Exception {
    String live = seen(LOCATION, "/config/settings.ini");

    TestNode.Result r = node.silver("config", LOCATION, config("bad", "colour = bad").toString());

    assertThat(r.exitCode()).as(r.output()).isNotZero();
    assertThat(r.stderr()).contains("settings.ini must exist and not say bad", "still live");
    assertThat(seen(LOCATION, "/config/settings.ini")).isEqualTo(live);
    assertNoStackTrace(r);
  }

  @Test
  void deleteIsRefusedWhenTheConfigurationIsRequired() throws Exception {
    Path app = app("needs", "config.required = true");
    assertThat(node.silver("update", app.toString(), "needs.test").exitCode()).isNotZero();
    assertThat(
            node.silver(
                    "update",
                    app.toString(),
                    "needs.test",
                    "--config",
                    config("n1", "colour = red").toString())
                .exitCode())
        .isZero();

    TestNode.Result r = node.silver("config", "needs.test", "--delete");

    assertThat(r.exitCode()).as(r.output()).isNotZero();
    assertThat(r.stderr()).contains("config.required");
    assertThat(seen("needs.test", "/config/settings.ini")).isEqualTo("colour = red\n");
  }

  @Test
  void copyTakesTheCurrentConfigurationOfAnotherLocation() throws Exception {
    Path app = app("copier");
    assertThat(node.silver("update", app.toString(), "copy.test").exitCode()).isZero();

    TestNode.Result r = node.silver("config", "copy.test", "--copy=needs-source.test");
    assertThat(r.exitCode()).isNotZero(); // nothing deployed there
    assertNoStackTrace(r);

    Path source = app("source");
    node.silver(
        "update",
        source.toString(),
        "source.test",
        "--config",
        config("s", "colour = teal").toString());
    TestNode.Result c = node.silver("config", "copy.test", "--copy=source.test");

    assertThat(c.exitCode()).as(c.output()).isZero();
    assertThat(seen("copy.test", "/config/settings.ini")).isEqualTo("colour = teal\n");
  }

  @Test
  void aGlobalSettingReachesTheAppAsAFileNeverAsAVariable() throws Exception {
    TestNode.Result s = node.silver("global-config", "--set", "SUPPORT_EMAIL=ops@example.org");
    assertThat(s.exitCode()).as(s.output()).isZero();
    node.silver("global-config", "--set", "SUPPORT_EMAIL=shop@example.org", "--app", "cfgapp");

    assertThat(seen(LOCATION, "/global")).contains("SUPPORT_EMAIL = shop@example.org");
    assertThat(seen(LOCATION, "/env")).doesNotContain("example.org");
    assertThat(node.silver("global-config").stdout())
        .contains("[global]", "SUPPORT_EMAIL = ops@example.org", "[app:cfgapp]");
    assertThat(node.silver("global-config", "--app", "cfgapp").stdout())
        .contains("SUPPORT_EMAIL = shop@example.org");
  }

  @Test
  void createConfigFillsTheTemplateFromVarsAndNamesAMissingOne() throws Exception {
    Path app = app("templated", "config.template = tpl");
    Files.createDirectories(app.resolve("tpl/sub"));
    Files.writeString(
        app.resolve("tpl/template.ini"), "[variables]\nadmin_email =\ncolour = blue\n");
    Files.writeString(
        app.resolve("tpl/sub/settings.ini"), "email = {{admin_email}}\ncolour = {{ colour }}\n");

    TestNode.Result missing =
        node.silver("create-config", app.toString(), dir.resolve("c-missing").toString());
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.stderr()).contains("admin_email", "--var");

    Path out = dir.resolve("c-ok");
    TestNode.Result ok =
        node.silver(
            "create-config", app.toString(), out.toString(), "--var", "admin_email=a@example.org");

    assertThat(ok.exitCode()).as(ok.output()).isZero();
    assertThat(Files.readString(out.resolve("sub/settings.ini")))
        .isEqualTo("email = a@example.org\ncolour = blue\n");
    assertThat(out.resolve("template.ini")).doesNotExist();
  }

  @Test
  void fiveConfigurationChangesDropNoRequestOfAContinuousClient() throws Exception {
    Path app = app("steady");
    assertThat(
            node.silver(
                    "update",
                    app.toString(),
                    "steady.test",
                    "--config",
                    config("st0", "n = 0").toString())
                .exitCode())
        .isZero();
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger sent =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.List<String> failures =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Thread client =
        new Thread(
            () -> {
              while (!stop.get()) {
                sent.incrementAndGet();
                try {
                  var r = node.get("steady.test", "/config/settings.ini");
                  if (r.statusCode() != 200 || !r.body().startsWith("n = ")) {
                    failures.add(r.statusCode() + " " + r.body());
                  }
                } catch (Exception e) {
                  failures.add(e.toString());
                }
              }
            });
    client.start();
    try {
      for (int i = 1; i <= 5; i++) {
        TestNode.Result r =
            node.silver("config", "steady.test", config("st" + i, "n = " + i).toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
      }
    } finally {
      stop.set(true);
      client.join();
    }

    assertThat(failures).as("of %d requests", sent.get()).isEmpty();
    assertThat(sent.get()).isGreaterThan(50);
    assertThat(seen("steady.test", "/config/settings.ini")).isEqualTo("n = 5\n");
  }

  private static int currentRevision(String location) throws Exception {
    String json = node.silver("config-query", location, "--json").stdout();
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).path("current").asInt();
  }

  @Test
  void activateKeepsTheNewestConfigurationAndWithConfigReturnsToTheInstancesOwn() throws Exception {
    Path app = app("roller");
    node.silver(
        "update", app.toString(), "roll.test", "--config", config("r1", "colour = red").toString());
    int red = currentRevision("roll.test");
    TestNode.Result second =
        node.silver(
            "update",
            app.toString(),
            "roll.test",
            "--config",
            config("r2", "colour = gold").toString());
    assertThat(second.exitCode()).as(second.output()).isZero();
    int gold = currentRevision("roll.test");

    TestNode.Result back = node.silver("activate", "roll.test", "PREV");

    assertThat(back.exitCode()).as(back.output()).isZero();
    String first = back.stdout().lines().findFirst().orElseThrow().split(" ")[0];
    assertThat(back.stdout())
        .contains(
            "It runs with configuration revision " + gold + " (the newest), not revision " + red,
            "silver activate roll.test " + first + " --with-config");
    assertThat(seen("roll.test", "/config/settings.ini")).isEqualTo("colour = gold\n");
    assertThat(node.silver("config-query", "roll.test").stdout())
        .contains("was deployed with revision " + red + " and reads the newest");

    TestNode.Result forth = node.silver("activate", "roll.test", "PREV");
    assertThat(forth.stdout()).contains("the one it was deployed with");
    TestNode.Result own = node.silver("activate", "roll.test", first, "--with-config");

    assertThat(own.exitCode()).as(own.output()).isZero();
    assertThat(own.stdout())
        .contains(
            first + " is live at roll.test",
            "configuration revision "
                + (gold + 1)
                + ", recorded now with the files of revision "
                + red);
    assertThat(seen("roll.test", "/config/settings.ini")).isEqualTo("colour = red\n");
    assertThat(node.silver("config-query", "roll.test").stdout())
        .contains("Return to revision " + red + " (with " + first + ")");
  }
}

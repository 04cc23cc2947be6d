package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code silver update APP site.nodeset}: two app servers, real nodes on loopback addresses of
 * their own, registered in one CLI registry. The app answers with its version and {@code
 * SILVER_NODE}, appends to a file shared by the servers on every {@code update_fetch}, and can be
 * told to fail its {@code test_fetch} on one server.
 */
class NodesetIT {
  private static final String HOST = "ns.test";

  @TempDir Path dir;
  private final List<TestNode> nodes = new ArrayList<>();

  @AfterEach
  void stopNodes() throws Exception {
    for (TestNode n : nodes) {
      n.close();
    }
  }

  private TestNode node(String name, String address) throws Exception {
    TestNode n = TestNode.start(dir, dir.resolve("home"), name, address);
    nodes.add(n);
    return n;
  }

  @Test
  void anUpdateReachesEveryAppServerRunsUpdateFetchOnceAndFailsWholeWhenOneServerFails()
      throws Exception {
    TestNode app1 = node("app1", "127.0.0.11");
    TestNode app2 = node("app2", "127.0.0.12");
    Path set = nodeset("appservers = app1 app2");
    Path marks = dir.resolve("update-fetch-marks");

    TestNode.Result first =
        app1.silver("update", app(1, marks, "").toString(), set.toString(), HOST);

    assertThat(first.exitCode()).as(first.output()).isZero();
    assertThat(first.stdout()).contains("Live on 2 app server(s) of site");
    assertThat(app1.get(HOST, "/").body()).isEqualTo("1 app1");
    assertThat(app2.get(HOST, "/").body()).isEqualTo("1 app2");
    assertThat(Files.readAllLines(marks)).containsExactly("1 app1");

    // Version 2 fails its test_fetch on app2 only: nothing switches anywhere.
    TestNode.Result failed =
        app1.silver("update", app(2, marks, "env.FAIL_ON = app2").toString(), set.toString(), HOST);

    assertThat(failed.exitCode()).as(failed.output()).isNotZero();
    assertThat(failed.output())
        .contains("app server app2: update failed at test_fetch")
        .contains("the old version stays live on every app server");
    assertThat(app1.get(HOST, "/").body()).isEqualTo("1 app1");
    assertThat(app2.get(HOST, "/").body()).isEqualTo("1 app2");

    // A server down refuses the update, naming it; --skip-down updates the others.
    app2.stop();
    Path v3 = app(3, marks, "");
    TestNode.Result refused = app1.silver("update", v3.toString(), set.toString(), HOST);

    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output()).contains("app server app2 (").contains("is down");
    assertThat(app1.get(HOST, "/").body()).isEqualTo("1 app1");

    TestNode.Result skipped =
        app1.silver("update", v3.toString(), set.toString(), HOST, "--skip-down");

    assertThat(skipped.exitCode()).as(skipped.output()).isZero();
    assertThat(skipped.stdout()).contains("skipping app2").contains("Live on 1 app server(s)");
    assertThat(app1.get(HOST, "/").body()).isEqualTo("3 app1");
  }

  @Test
  void aNodesetFileWithAMistakeIsRefusedNamingItsLine() throws Exception {
    TestNode app1 = node("app1", "127.0.0.11");
    Path set = nodeset("appservers = app1 nosuch");
    Path bad = dir.resolve("bad.nodeset");
    Files.writeString(bad, "[nodeset]\nname = site\nappservers = app1\nbalancer = app1\n");
    Path app = app(1, dir.resolve("marks"), "");

    TestNode.Result unknown = app1.silver("update", app.toString(), set.toString(), HOST);
    TestNode.Result wrong = app1.silver("update", app.toString(), bad.toString(), HOST);

    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.output()).contains(set + ": the node 'nosuch' is not registered");
    assertThat(wrong.exitCode()).isNotZero();
    assertThat(wrong.output()).contains(bad + ":4: the balancer 'app1' is also an app server");
    assertThat(app1.get(HOST, "/").statusCode()).isEqualTo(404);
  }

  private Path nodeset(String... lines) throws Exception {
    Path file = dir.resolve("site.nodeset");
    Files.writeString(file, "[nodeset]\nname = site\n" + String.join("\n", lines) + "\n");
    return file;
  }

  /** The test app at {@code version}, with {@code more} appended to its app.ini. */
  private Path app(int version, Path marks, String more) throws Exception {
    Path app = dir.resolve("apps/ns-" + version);
    Files.createDirectories(app);
    Files.writeString(app.resolve("VERSION"), version + "\n");
    Files.writeString(
        app.resolve("app.ini"),
        String.join(
            "\n",
            "[production]",
            "app_name = ns",
            "runtime = command",
            "runner = python3 app.py",
            "update_fetch = /update",
            "test_fetch = /check",
            "env.MARKS = " + marks,
            more,
            ""));
    Files.writeString(app.resolve("app.py"), APP_PY);
    return app;
  }

  static final String APP_PY =
      """
      import os
      from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
      VERSION = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "VERSION")).read().strip()
      NODE = os.environ["SILVER_NODE"]

      class Handler(BaseHTTPRequestHandler):
          protocol_version = "HTTP/1.1"

          def answer(self, status, text):
              body = text.encode()
              self.send_response(status)
              self.send_header("Content-Type", "text/plain")
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)

          def do_GET(self):
              if self.path == "/check" and os.environ.get("FAIL_ON") == NODE:
                  self.answer(500, "check failed on " + NODE)
              elif self.path == "/env":
                  self.answer(200, NODE)
              else:
                  self.answer(200, VERSION + " " + NODE)

          def do_POST(self):
              if self.path == "/update":
                  with open(os.environ["MARKS"], "a") as f:
                      f.write(VERSION + " " + NODE + "\\n")
              self.answer(200, "ok")

          def log_message(self, *args):
              pass

      ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
      """;
}

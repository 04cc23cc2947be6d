package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
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

    // query, disable and enable take the nodeset and act on each app server.
    TestNode.Result query = app1.silver("query", set.toString());
    assertThat(query.exitCode()).as(query.output()).isZero();
    assertThat(query.stdout()).contains("Node app1").contains("Node app2");
    TestNode.Result disable = app1.silver("disable", "--by-name", "ns", "--node", set.toString());
    assertThat(disable.stdout()).contains("app1: Disabled ns").contains("app2: Disabled ns");
    assertThat(app1.get(HOST, "/").statusCode()).isEqualTo(503);
    assertThat(app2.get(HOST, "/").statusCode()).isEqualTo(503);
    assertThat(app1.silver("enable", "--by-name", "ns", "--node", set.toString()).exitCode())
        .isZero();
    assertThat(app2.get(HOST, "/").body()).isEqualTo("1 app2");

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
  void theBalancerSpreadsRequestsAndLosesNoGetThroughARollingUpdateAndAnAppServerKilled()
      throws Exception {
    TestNode lb = node("lb", "127.0.0.10");
    TestNode app1 = node("app1", "127.0.0.11");
    TestNode app2 = node("app2", "127.0.0.12");
    Path set = nodeset("appservers = app1 app2", "balancer = lb");
    Path marks = dir.resolve("marks");

    TestNode.Result first = lb.silver("update", app(1, marks, "").toString(), set.toString(), HOST);

    assertThat(first.exitCode()).as(first.output()).isZero();
    assertThat(first.stdout()).contains("balance");
    Set<String> answers = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      answers.add(lb.get(HOST, "/").body());
    }
    assertThat(answers).containsExactlyInAnyOrder("1 app1", "1 app2");
    // X-Forwarded-For is the client's address, set once by the balancer: a client's own is dropped.
    HttpResponse<String> forwarded =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.10:" + lb.httpPort() + "/forwarded"))
                    .header("Host", HOST)
                    .header("X-Forwarded-For", "203.0.113.9")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(forwarded.body()).matches("127\\.0\\.0\\.\\d+ ns\\.test http");
    assertThat(forwarded.body()).doesNotContain("203.0.113.9").doesNotContain("127.0.0.10");

    LoadClient keepAlive = new LoadClient("127.0.0.10", lb.httpPort(), HOST, "/", true);
    LoadClient fresh = new LoadClient("127.0.0.10", lb.httpPort(), HOST, "/", false);
    keepAlive.start();
    fresh.start();
    try {
      TestNode.Result second =
          lb.silver("update", app(2, marks, "").toString(), set.toString(), HOST);
      assertThat(second.exitCode()).as(second.output()).isZero();
      long before = keepAlive.total() + fresh.total();

      app1.kill9().forEach(ProcessHandle::destroyForcibly); // the node and its app: app1 is gone
      awaitHealth(lb, "127.0.0.11", false);
      while (keepAlive.total() + fresh.total() < before + 200) {
        Thread.sleep(100);
      }
    } finally {
      keepAlive.finish();
      fresh.finish();
    }
    for (LoadClient c : List.of(keepAlive, fresh)) {
      System.out.printf(
          "balancer, %s: %d GETs, %d failed, answers %s%n",
          c.getName(), c.total(), c.failed.get(), c.bodies);
      assertThat(c.failures).as(c.getName()).isEmpty();
      assertThat(c.bodies.keySet())
          .as(c.getName())
          .isSubsetOf("1 app1", "1 app2", "2 app1", "2 app2")
          .contains("2 app2");
    }

    // Back in rotation once healthy, with the version it had.
    app1.startProcessOnSamePorts();
    awaitHealth(lb, "127.0.0.11", true);
    answers.clear();
    for (int i = 0; i < 20; i++) {
      answers.add(lb.get(HOST, "/").body());
    }
    assertThat(answers).containsExactlyInAnyOrder("2 app1", "2 app2");
  }

  /** Waits until the balancer says the app server at {@code address} is (not) in rotation. */
  private static void awaitHealth(TestNode lb, String address, boolean healthy) throws Exception {
    Pattern p =
        Pattern.compile(
            "\\{\"address\":\""
                + Pattern.quote(address)
                + ":\\d+\",\"healthy\":"
                + healthy
                + "\\}");
    for (int i = 0; i < 300; i++) {
      if (p.matcher(lb.api("GET", "balancer", lb.token()).body()).find()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        address
            + " never became healthy="
            + healthy
            + ": "
            + lb.api("GET", "balancer", lb.token()).body());
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
    Path shared = dir.resolve("shared.nodeset");
    Files.writeString(shared, "[nodeset]\nname = site\nappservers = app1\nservices = db\n");
    TestNode.Result services = app1.silver("update", app.toString(), shared.toString(), HOST);
    assertThat(services.exitCode()).isNotZero();
    assertThat(services.output()).contains(shared + ": services = db: app servers sharing");
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
              elif self.path == "/forwarded":
                  self.answer(200, " ".join(self.headers.get(h, "-") for h in
                      ("X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto")))
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

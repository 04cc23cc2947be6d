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
import org.junit.jupiter.api.Test;

/**
 * {@code silver update APP site.nodeset}: two app servers, real nodes on loopback addresses of
 * their own, registered in one CLI registry. The app answers with its version and {@code
 * SILVER_NODE}, appends to a file shared by the servers on every {@code update_fetch}, and can be
 * told to fail its {@code test_fetch} on one server; it enqueues tasks to itself ({@code /enqueue})
 * and records which server ran each.
 */
class NodesetIT extends NodesetFixture {
  private static final String HOST = "ns.test";

  @Test
  void anUpdateReachesEveryAppServerRunsUpdateFetchOnceAndFailsWholeWhenOneServerFails()
      throws Exception {
    TestNode app1 = node("app1", "127.0.0.11");
    TestNode app2 = node("app2", "127.0.0.12");
    Path set = nodeset("appservers = app1 app2");
    Path marks = dir.resolve("update-fetch-marks");
    // The nodeset's global configuration is the first app server's: the update copies it.
    app1.silver("global-config", "--node", "app1", "--set", "SUPPORT=ops@example.org");
    app1.silver("global-config", "--node", "app1", "--set", "API_KEY=k1", "--secret");
    app2.silver("global-config", "--node", "app2", "--set", "STRAY=x");

    TestNode.Result first =
        app1.silver("update", app(1, marks, "").toString(), set.toString(), HOST);

    assertThat(first.exitCode()).as(first.output()).isZero();
    assertThat(first.stdout()).contains("2 set, 1 unset as on app1");
    TestNode.Result config = app1.silver("global-config", "--node", "app2", "--show-secrets");
    assertThat(config.stdout())
        .contains("SUPPORT = ops@example.org")
        .contains("API_KEY = k1")
        .doesNotContain("STRAY");
    assertThat(app1.silver("global-config", "--node", "app2").stdout())
        .contains("API_KEY = ********");
    // And its platform secret: app2's apps sign with app1's keys.
    assertThat(first.stdout()).contains("key ring as on app1");
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    assertThat(json.readTree(app2.api("GET", "secret", app2.token()).body()).path("keys"))
        .isEqualTo(json.readTree(app1.api("GET", "secret", app1.token()).body()).path("keys"));
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
    assertThat(services.output()).contains(shared + ": the node 'db' is not registered");
    assertThat(app1.get(HOST, "/").statusCode()).isEqualTo(404);
  }

  @Test
  void aCronJobRunsOnceAcrossThreeAppServersAndMovesWhenTheLeaderIsKilled() throws Exception {
    List<TestNode> servers =
        List.of(node("app1", "127.0.0.41"), node("app2", "127.0.0.42"), node("app3", "127.0.0.43"));
    String name = "cron-" + java.util.UUID.randomUUID();
    Path set = dir.resolve("cron.nodeset");
    Files.writeString(
        set,
        "[nodeset]\nname = "
            + name
            + "\nappservers = app1 app2 app3\nredis = redis://127.0.0.1:6379\n");
    Path ticks = dir.resolve("ticks");
    Path app = app(1, dir.resolve("marks"), "env.TICKS = " + ticks + "\n[cron]\n/tick = * * * * *");
    List<ProcessHandle> orphans = new ArrayList<>();
    try {
      TestNode.Result up = servers.get(0).silver("update", app.toString(), set.toString(), HOST);
      assertThat(up.exitCode()).as(up.output()).isZero();
      assertThat(up.stdout()).containsPattern("app3 +cron +once per nodeset; leader app[123]");

      // One app server leads; two minutes' runs happen there only, each minute once.
      TestNode leader = leaderOf(servers, name);
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofMinutes(3))
          .until(() -> runs(ticks).size() >= 2);
      List<String[]> before = runs(ticks);
      assertThat(before).allMatch(t -> t[0].equals(leader.name()));
      long token = Long.parseLong(before.get(0)[1]);
      assertThat(token).isPositive();

      // kill -9 the leader: another app server takes the lease, with a newer token, within a
      // minute.
      orphans.addAll(leader.process().descendants().toList());
      leader.process().destroyForcibly().waitFor();
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofMinutes(3))
          .until(() -> runs(ticks).stream().anyMatch(t -> !t[0].equals(leader.name())));
      List<String[]> after = runs(ticks);
      String[] moved = after.get(after.size() - 1);
      assertThat(moved[0]).isNotEqualTo(leader.name());
      assertThat(Long.parseLong(moved[1])).isGreaterThan(token);
      assertThat(after.stream().map(t -> t[2]).distinct().count())
          .as("each minute ran once: %s", Files.readString(ticks))
          .isEqualTo(after.size());
    } finally {
      orphans.forEach(ProcessHandle::destroyForcibly);
      try (var redis =
          new org.silverlining.node.resp.RedisClient("redis://127.0.0.1:6379", "Redis", 5000)) {
        for (String k : List.of("leader", "token", "runs")) {
          redis.call("DEL", "silver:nodeset:" + name + ":cron:" + k);
        }
      }
    }
  }

  @Test
  void tasksEnqueuedOnOneAppServerRunOnceOnTheServersEvenWhenItIsStopped() throws Exception {
    TestNode app1 = node("app1", "127.0.0.51");
    TestNode app2 = node("app2", "127.0.0.52");
    String name = "tasks-" + java.util.UUID.randomUUID();
    Path set = dir.resolve("tasks.nodeset");
    Files.writeString(
        set, "[nodeset]\nname = " + name + "\nappservers = app1 app2\nredis = " + REDIS + "\n");
    Path taskLog = dir.resolve("task-runs");
    Path app = app(1, dir.resolve("marks"), "env.TASKS_LOG = " + taskLog);
    try {
      // Tasks queued in app1's own store while the nodeset has no Redis move there with it.
      Path plain = nodeset("appservers = app1 app2");
      assertThat(app1.silver("update", app.toString(), plain.toString(), HOST).exitCode()).isZero();
      for (int i = 0; i < 3; i++) {
        assertThat(app1.get(HOST, "/enqueue?name=queued-" + i + "&delay=3600").statusCode())
            .isEqualTo(201);
      }
      TestNode.Result up = app1.silver("update", app.toString(), set.toString(), HOST);
      assertThat(up.exitCode()).as(up.output()).isZero();
      assertThat(up.stdout())
          .containsPattern("app1 +tasks +in the nodeset's Redis; 3 task\\(s\\) moved there")
          .containsPattern("app2 +tasks +in the nodeset's Redis\n");

      // Due at once, enqueued through app1: each runs once.
      for (int i = 0; i < 10; i++) {
        assertThat(app1.get(HOST, "/enqueue?name=now-" + i + "&delay=0").statusCode())
            .isEqualTo(201);
      }
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofMinutes(1))
          .until(() -> runs(taskLog).size() >= 10);

      // Due later, enqueued through app1, which then stops: app2 runs them.
      for (int i = 0; i < 5; i++) {
        assertThat(app1.get(HOST, "/enqueue?name=later-" + i + "&delay=15").statusCode())
            .isEqualTo(201);
      }
      app1.stop();
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofMinutes(2))
          .until(() -> runs(taskLog).size() >= 15);

      List<String[]> all = runs(taskLog);
      assertThat(all.stream().map(r -> r[1]).distinct().count())
          .as("each task ran once: %s", Files.readString(taskLog))
          .isEqualTo(all.size());
      assertThat(all.stream().filter(r -> r[1].startsWith("later-")))
          .allMatch(r -> r[0].equals("app2"));
      // silver tasks with the nodeset lists them whole, from the app server that is up.
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .until(() -> taskCounts(app2, set).equals("{\"done\":15,\"queued\":3}"));
    } finally {
      try (var redis = new org.silverlining.node.resp.RedisClient(REDIS, "Redis", 5000)) {
        for (Object key : (List<?>) redis.call("KEYS", "silver:nodeset:" + name + ":*")) {
          redis.call("DEL", (String) key);
        }
      }
    }
  }

  private static final String REDIS = "redis://127.0.0.1:6379";

  /** The counts by state of the default queue, as {@code silver tasks HOST SET} gives them. */
  private static String taskCounts(TestNode cli, Path set) throws Exception {
    TestNode.Result r = cli.silver("tasks", HOST, set.toString(), "--json");
    assertThat(r.exitCode()).as(r.output()).isZero();
    var queues = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.stdout());
    return queues.path("queues").path(0).path("counts").toString();
  }

  /** The app server that says it leads the nodeset {@code name}'s cron jobs; exactly one does. */
  private static TestNode leaderOf(List<TestNode> servers, String name) throws Exception {
    List<TestNode> leading = new ArrayList<>();
    for (TestNode n : servers) {
      HttpResponse<String> r = n.api("GET", "nodeset", n.token());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      var nodeset =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(r.body())
              .path("nodesets")
              .path(name);
      assertThat(nodeset.path("locations").toString()).isEqualTo("[\"" + HOST + "\"]");
      if (nodeset.path("leading").asBoolean()) {
        leading.add(n);
      }
    }
    assertThat(leading).hasSize(1);
    return leading.get(0);
  }

  /**
   * The lines of {@code file} split at spaces: the runs of the tick job (node, fencing token, HH:MM
   * of the run) or of tasks (node, task name).
   */
  private static List<String[]> runs(Path file) throws Exception {
    return Files.exists(file)
        ? Files.readAllLines(file).stream().map(l -> l.split(" ")).toList()
        : List.of();
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
      import json, os, time, urllib.error, urllib.parse, urllib.request
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
              elif self.path == "/tick":
                  with open(os.environ["TICKS"], "a") as f:
                      f.write("%s %s %s\\n" % (NODE, self.headers.get("X-Silver-Cron-Token"), time.strftime("%H:%M")))
                  self.answer(200, "ticked")
              elif self.path == "/env":
                  self.answer(200, NODE)
              elif self.path.startswith("/enqueue?"):
                  q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
                  task = {"path": "/task", "name": q["name"], "delay_seconds": int(q["delay"])}
                  req = urllib.request.Request(
                      os.environ["SILVER_TASKS_URL"] + "/queues/default/tasks",
                      data=json.dumps(task).encode(), method="POST",
                      headers={"Authorization": "Bearer " + os.environ["SILVER_TASKS_TOKEN"],
                               "Content-Type": "application/json"})
                  try:
                      with urllib.request.urlopen(req, timeout=30) as r:
                          self.answer(r.status, r.read().decode())
                  except urllib.error.HTTPError as e:
                      self.answer(e.code, e.read().decode())
              else:
                  self.answer(200, VERSION + " " + NODE)

          def do_POST(self):
              if self.path == "/update":
                  with open(os.environ["MARKS"], "a") as f:
                      f.write(VERSION + " " + NODE + "\\n")
              elif self.path == "/task":
                  with open(os.environ["TASKS_LOG"], "a") as f:
                      f.write(NODE + " " + self.headers["X-Silver-Task-Name"] + "\\n")
              self.answer(200, "ok")

          def log_message(self, *args):
              pass

      ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
      """;
}

package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks as an app and a user meet them on a real node: an app enqueues a task to itself through
 * {@code SILVER_TASKS_URL} and receives it; {@code silver tasks} lists the queue; a task that
 * always fails ends dead, is listed, and {@code --retry} makes it be attempted again; {@code
 * --purge} empties the queue; and an acknowledged task survives {@code kill -9} of the node, with
 * the SQLite store and with the Redis one.
 */
class TasksIT {
  private static final String LOCATION = "tasks.test";

  /**
   * {@code GET /enqueue?path=P&name=N&delay=S} enqueues a task for itself in queue {@code default}
   * and answers with the tasks API's status and body; a task request (POST) is recorded in the
   * deliveries file as {@code PATH NAME RETRY-COUNT} and answered 500 for {@code /fail}, 200
   * otherwise. Anything else: 200.
   */
  private static final String APP_PY =
      """
      import http.server, json, os, urllib.error, urllib.parse, urllib.request

      LOG = "@LOG@"

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
              u = urllib.parse.urlsplit(self.path)
              if u.path != "/enqueue":
                  return self.answer(200, "hello")
              q = dict(urllib.parse.parse_qsl(u.query))
              task = {"path": q["path"], "name": q["name"],
                      "delay_seconds": int(q.get("delay", "0"))}
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

          def do_POST(self):
              self.rfile.read(int(self.headers.get("Content-Length") or 0))
              with open(LOG, "a") as f:
                  f.write("%s %s %s\\n" % (self.path, self.headers["X-Silver-Task-Name"],
                                           self.headers["X-Silver-Task-Retry-Count"]))
              self.answer(500 if self.path == "/fail" else 200, "ok")

      http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
      """;

  @TempDir static Path dir;
  static TestNode node;
  static Path deliveries;

  @BeforeAll
  static void deployAnAppThatEnqueuesToItself() throws Exception {
    node = TestNode.start(dir.resolve("sqlite"));
    deliveries = dir.resolve("deliveries.log");
    deploy(node, "taskapp", deliveries, LOCATION);
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  static void deploy(TestNode n, String name, Path log, String location) throws Exception {
    Path app = dir.resolve("apps").resolve(name);
    Files.createDirectories(app);
    Files.writeString(app.resolve("app.py"), APP_PY.replace("@LOG@", log.toString()));
    Files.writeString(
        app.resolve("app.ini"),
        "[production]\napp_name = "
            + name
            + "\nruntime = command\nrunner = python3 app.py\n"
            + "[queue:default]\nretry_limit = 2\nmin_backoff = 0.1\nmax_backoff = 0.2\n");
    TestNode.Result r = n.silver("update", app.toString(), location);
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  static HttpResponse<String> enqueue(
      TestNode n, String location, String path, String name, int delay) throws Exception {
    return n.get(location, "/enqueue?path=" + path + "&name=" + name + "&delay=" + delay);
  }

  /** The recorded deliveries of task {@code name}, as {@code PATH NAME RETRY-COUNT} lines. */
  static List<String> deliveriesOf(Path log, String name) throws IOException {
    if (!Files.exists(log)) {
      return List.of();
    }
    return Files.readAllLines(log).stream().filter(l -> l.split(" ")[1].equals(name)).toList();
  }

  private static TestNode.Result tasks(String... more) throws Exception {
    String[] args = new String[more.length + 2];
    args[0] = "tasks";
    args[1] = LOCATION;
    System.arraycopy(more, 0, args, 2, more.length);
    TestNode.Result r = node.silver(args);
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).doesNotContain("Exception", "\tat ");
    return r;
  }

  /** The counts of queue {@code default} in {@code silver tasks}: queued, running, done, dead. */
  private static int[] defaultCounts() throws Exception {
    Matcher m =
        Pattern.compile("(?m)^default\\s+5\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)$")
            .matcher(tasks().stdout());
    assertThat(m.find()).as("a line for queue default").isTrue();
    return new int[] {
      Integer.parseInt(m.group(1)),
      Integer.parseInt(m.group(2)),
      Integer.parseInt(m.group(3)),
      Integer.parseInt(m.group(4))
    };
  }

  @Test
  void anAppEnqueuesATaskToItselfReceivesItAndTasksShowsTheQueue() throws Exception {
    HttpResponse<String> r = enqueue(node, LOCATION, "/work", "hello", 0);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(r.body()).contains("\"name\":\"hello\"", "\"queue\":\"default\"");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(deliveriesOf(deliveries, "hello")).containsExactly("/work hello 0"));
    assertThat(enqueue(node, LOCATION, "/work", "hello", 0).statusCode())
        .as("a remembered name")
        .isEqualTo(409);
    TestNode.Result t = tasks();
    assertThat(t.stdout().lines().findFirst().orElse(""))
        .matches("QUEUE\\s+RATE/S\\s+QUEUED\\s+RUNNING\\s+DONE\\s+DEAD");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(defaultCounts()[2]).isPositive());
  }

  @Test
  void aTaskThatAlwaysFailsEndsDeadIsListedAndRetryAttemptsItAgain() throws Exception {
    assertThat(enqueue(node, LOCATION, "/fail", "bad", 0).statusCode()).isEqualTo(201);

    // retry_limit = 2: the first attempt and two retries, then dead.
    Pattern dead = Pattern.compile("(?m)^(\\d+)\\s+default\\s+bad\\s+dead\\s+3\\s+HTTP 500$");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(tasks().stdout()).containsPattern(dead));
    assertThat(deliveriesOf(deliveries, "bad"))
        .containsExactly("/fail bad 0", "/fail bad 1", "/fail bad 2");
    TestNode.Result listing = tasks();
    assertThat(listing.stdout()).contains("RECENT FAILURES");
    Matcher m = dead.matcher(listing.stdout());
    assertThat(m.find()).isTrue();
    String id = m.group(1);

    TestNode.Result retried = tasks("--retry", id);
    assertThat(retried.stdout()).isEqualTo("task " + id + " is queued again\n");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(deliveriesOf(deliveries, "bad")).hasSize(6).endsWith("/fail bad 2");
              assertThat(tasks().stdout()).containsPattern(dead);
            });
    assertThat(deliveriesOf(deliveries, "bad").get(3)).isEqualTo("/fail bad 0");
  }

  @Test
  void purgeEmptiesTheQueue() throws Exception {
    for (String name : List.of("later-1", "later-2")) {
      assertThat(enqueue(node, LOCATION, "/work", name, 600).statusCode()).isEqualTo(201);
    }
    assertThat(defaultCounts()[0]).isGreaterThanOrEqualTo(2);

    TestNode.Result r = tasks("--purge", "default");
    assertThat(r.stdout()).containsPattern("^purged [2-9]\\d* task\\(s\\) from default\n$");
    int[] after = defaultCounts();
    assertThat(after[0]).as("queued").isZero();
    assertThat(after[3]).as("dead").isZero();
    assertThat(enqueue(node, LOCATION, "/work", "later-1", 0).statusCode())
        .as("a purged task's name stays remembered")
        .isEqualTo(409);
  }

  @Test
  void anAcknowledgedTaskSurvivesKill9OfTheNodeAndNoOrphanIsLeft() throws Exception {
    try (TestNode n = TestNode.start(dir.resolve("kill9"))) {
      Path log = dir.resolve("kill9-deliveries.log");
      deploy(n, "taskkill", log, "kill9.test");
      survivesKill9(n, "kill9.test", log);
    }
  }

  @Test
  void withTheRedisBackendTasksAreDeliveredAndAnAcknowledgedOneSurvivesKill9() throws Exception {
    String redis = System.getenv().getOrDefault("SILVER_TEST_REDIS", "redis://127.0.0.1:6379");
    assumeRedis(redis);
    try (TestNode n = TestNode.create(dir.resolve("redis"))) {
      Files.writeString(
          n.root().resolve("node.ini"),
          "\n[tasks]\nbackend = " + redis + "\n",
          StandardOpenOption.APPEND);
      n.startProcess();
      // A location of its own: the Redis outlives the test.
      String location = "redis-" + System.nanoTime() + ".test";
      Path log = dir.resolve("redis-deliveries.log");
      deploy(n, "taskredis", log, location);
      HttpResponse<String> r = enqueue(n, location, "/work", "now", 0);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(deliveriesOf(log, "now")).containsExactly("/work now 0"));
      survivesKill9(n, location, log);
    }
  }

  /** Enqueues a task due in 3 s, kills the node at once, starts it again: the task arrives. */
  private static void survivesKill9(TestNode n, String location, Path log) throws Exception {
    HttpResponse<String> r = enqueue(n, location, "/work", "durable", 3);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    List<ProcessHandle> left = n.kill9();
    assertThat(left).as("app processes the killed node left").isNotEmpty();
    assertThat(deliveriesOf(log, "durable")).as("delivered before the kill").isEmpty();

    n.startProcess();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(deliveriesOf(log, "durable")).isNotEmpty());
    assertThat(deliveriesOf(log, "durable"))
        .as("at least once")
        .allMatch(l -> l.startsWith("/work durable "));
    for (ProcessHandle p : left) {
      assertThat(ProcessHandle.of(p.pid()).filter(ProcessHandle::isAlive))
          .as("process %d left by the killed node", p.pid())
          .isEmpty();
    }
  }

  private static void assumeRedis(String url) {
    String hostPort = url.replaceFirst("^redis://([^@]*@)?", "").split("/")[0];
    int colon = hostPort.lastIndexOf(':');
    String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
    int port = colon < 0 ? 6379 : Integer.parseInt(hostPort.substring(colon + 1));
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2000);
    } catch (IOException e) {
      String reason = "Redis at " + url + " is unreachable (" + e.getMessage() + ")";
      if ("true".equals(System.getenv("CI"))) {
        fail(reason + "; CI needs it");
      }
      Assumptions.abort(reason + ": the Redis tasks test is skipped");
    }
  }
}

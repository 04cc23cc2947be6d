package org.silverlining.node.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.Node;
import org.silverlining.node.TestApps;
import org.silverlining.node.admin.Tokens;

/** A real node delivering tasks to a Python app that fails as often as the task asks. */
class TasksIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /**
   * {@code GET /env} answers the tasks URL and token; {@code POST /enqueue/QUEUE} enqueues its body
   * through the tasks API and answers what the API answered; any request under {@code /work}
   * appends its task headers to {@code $SILVER_LOGS/attempts.jsonl} and fails with 500 while the
   * retry count is below the {@code fail} query parameter.
   */
  static final String APP_PY =
      """
      import http.server, json, os, socketserver, urllib.request, urllib.error, urllib.parse

      class App(http.server.BaseHTTPRequestHandler):
          protocol_version = "HTTP/1.1"

          def log_message(self, *args):
              pass

          def answer(self, code, body):
              self.send_response(code)
              self.send_header("Content-Type", "application/json")
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)

          def handle_any(self):
              body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
              url = urllib.parse.urlparse(self.path)
              if url.path == "/env":
                  return self.answer(200, json.dumps({
                      "url": os.environ["SILVER_TASKS_URL"],
                      "token": os.environ["SILVER_TASKS_TOKEN"]}).encode())
              if url.path.startswith("/enqueue/"):
                  req = urllib.request.Request(
                      os.environ["SILVER_TASKS_URL"] + "/queues/" + url.path[9:] + "/tasks",
                      data=body, method="POST",
                      headers={"Authorization": "Bearer " + os.environ["SILVER_TASKS_TOKEN"],
                               "Content-Type": "application/json"})
                  try:
                      with urllib.request.urlopen(req) as r:
                          return self.answer(r.status, r.read())
                  except urllib.error.HTTPError as e:
                      return self.answer(e.code, e.read())
              retry = int(self.headers.get("X-Silver-Task-Retry-Count", "-1"))
              with open(os.path.join(os.environ["SILVER_LOGS"], "attempts.jsonl"), "a") as f:
                  f.write(json.dumps({
                      "method": self.command, "path": url.path, "body": body.decode(),
                      "name": self.headers.get("X-Silver-Task-Name"),
                      "queue": self.headers.get("X-Silver-Task-Queue"),
                      "retry": retry,
                      "internal": self.headers.get("X-Silver-Internal"),
                      "custom": self.headers.get("X-Custom")}) + "\\n")
              fail = int(urllib.parse.parse_qs(url.query).get("fail", ["0"])[0])
              self.answer(500 if retry < fail else 200, b"{}")

          do_GET = do_POST = do_PUT = handle_any

      class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
          daemon_threads = True
          allow_reuse_address = True

      Server(("127.0.0.1", int(os.environ["PORT"])), App).serve_forever()
      """;

  static final String QUEUES =
      """
      [queue:fast]
      rate = 100/s
      min_backoff = 0.05
      max_backoff = 0.2
      [queue:once]
      retry_limit = 1
      min_backoff = 0.05
      [queue:slow]
      rate = 0
      """;

  @TempDir Path dir;

  private Node deployed(Path root) throws Exception {
    Node node = TestApps.startNode(root);
    Path app =
        TestApps.write(
            dir.resolve("app"),
            Map.of(
                "app.py",
                APP_PY,
                "app.ini",
                TestApps.commandIni("worker", "python3 app.py", QUEUES)));
    TestApps.deploy(node, "worker", "w.test", TestApps.pack(app));
    return node;
  }

  /** The port of the app's process, from the node's own description. */
  @SuppressWarnings("unchecked")
  private static int appPort(Node node) throws Exception {
    Map<String, Object> q = node.status().query();
    Map<String, Object> app = ((List<Map<String, Object>>) q.get("apps")).get(0);
    Map<String, Object> instance = ((List<Map<String, Object>>) app.get("instances")).get(0);
    return (int) ((List<Map<String, Object>>) instance.get("processes")).get(0).get("port");
  }

  private static HttpResponse<String> post(String url, String token, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<JsonNode> attempts(Node node) throws Exception {
    Path file = node.layout().appLogsDir("worker").resolve("attempts.jsonl");
    List<JsonNode> out = new ArrayList<>();
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file)) {
        out.add(JSON.readTree(line));
      }
    }
    return out;
  }

  private static List<JsonNode> attemptsOf(Node node, String name) throws Exception {
    return attempts(node).stream().filter(a -> a.path("name").asText().equals(name)).toList();
  }

  @Test
  void anAppEnqueuesAndItsTaskIsRetriedWithItsHeadersUntilItSucceeds() throws Exception {
    try (Node node = deployed(dir.resolve("node"))) {
      int port = appPort(node);
      HttpResponse<String> r =
          post(
              "http://127.0.0.1:" + port + "/enqueue/fast",
              null,
              "{\"name\": \"job-1\", \"path\": \"/work/a?fail=2\", \"body\": \"payload\","
                  + " \"headers\": {\"X-Custom\": \"yes\"}}");

      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      assertThat(JSON.readTree(r.body()).get("name").asText()).isEqualTo("job-1");
      await().atMost(Duration.ofSeconds(20)).until(() -> attemptsOf(node, "job-1").size() == 3);
      List<JsonNode> a = attemptsOf(node, "job-1");
      assertThat(a).extracting(j -> j.get("retry").asInt()).containsExactly(0, 1, 2);
      assertThat(a.get(2).get("queue").asText()).isEqualTo("fast");
      assertThat(a.get(2).get("internal").asText()).isEqualTo("task");
      assertThat(a.get(2).get("custom").asText()).isEqualTo("yes");
      assertThat(a.get(2).get("body").asText()).isEqualTo("payload");
      assertThat(a.get(2).get("method").asText()).isEqualTo("POST");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> counts(node, "fast").path("done").asInt() == 1);

      // Done is where a task ends: no attempt comes after it.
      assertThat(attemptsOf(node, "job-1")).hasSize(3);
      assertThat(
              post(
                      "http://127.0.0.1:" + port + "/enqueue/fast",
                      null,
                      "{\"name\": \"job-1\", \"path\": \"/work\"}")
                  .statusCode())
          .isEqualTo(409);
    }
  }

  @Test
  void theUpdateAndEachTaskAttemptAreWrittenToTheAppsStreamsThatTheLogsCallReads()
      throws Exception {
    try (Node node = deployed(dir.resolve("node"))) {
      Path logs = node.layout().appLogsDir("worker");
      List<String> update = Files.readAllLines(logs.resolve("update.log"));
      assertThat(update.get(0)).endsWith(" update upload: started");
      assertThat(update).anyMatch(l -> l.matches("\\S+ update start: done in \\d+ ms.*"));
      assertThat(update.get(update.size() - 1)).matches("\\S+ update ok in \\d+ ms");

      HttpResponse<String> r =
          post(
              "http://127.0.0.1:" + appPort(node) + "/enqueue/fast",
              null,
              "{\"name\": \"logged\", \"path\": \"/work/l?fail=1\"}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      Path tasks = logs.resolve("tasks.log");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Files.exists(tasks) && Files.readAllLines(tasks).size() == 2);
      List<String> lines = Files.readAllLines(tasks);
      assertThat(lines.get(0)).matches("\\S+ fast \\d+ retry attempt 1 \\d+ms HTTP 500");
      assertThat(lines.get(1)).matches("\\S+ fast \\d+ done attempt 2 \\d+ms HTTP 200");

      String token = new Tokens(node.layout().tokensFile()).create("ann");
      assertThat(logsCall(node, token, "location=w.test&stream=update&n=1000"))
          .isEqualTo(String.join("\n", update) + "\n");
      assertThat(logsCall(node, token, "location=w.test&stream=tasks"))
          .isEqualTo(String.join("\n", lines) + "\n");
    }
  }

  private static String logsCall(Node node, String token, String query) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + node.adminPort() + "/api/v1/logs?" + query))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  private static JsonNode counts(Node node, String queue) throws Exception {
    JsonNode q = JSON.valueToTree(node.jobs().taskQueues("w.test"));
    for (JsonNode each : q.get("queues")) {
      if (each.get("queue").asText().equals(queue)) {
        return each.get("counts");
      }
    }
    return JSON.createObjectNode();
  }

  @Test
  void anExhaustedTaskIsDeadUntilItIsRetriedByHand() throws Exception {
    try (Node node = deployed(dir.resolve("node"))) {
      JsonNode env = env(node);
      HttpResponse<String> r =
          post(
              env.get("url").asText() + "/queues/once/tasks",
              env.get("token").asText(),
              "{\"name\": \"doomed\", \"path\": \"/work/d?fail=3\", \"method\": \"PUT\"}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> counts(node, "once").path("dead").asInt() == 1);
      assertThat(attemptsOf(node, "doomed"))
          .extracting(j -> j.get("retry").asInt())
          .containsExactly(0, 1);
      JsonNode failures = JSON.valueToTree(node.jobs().taskQueues("w.test")).get("failures");
      assertThat(failures.get(0).get("last_result").asText()).isEqualTo("HTTP 500");

      node.jobs().retryTask("w.test", failures.get(0).get("id").asLong());
      await().atMost(Duration.ofSeconds(10)).until(() -> attemptsOf(node, "doomed").size() == 4);
      assertThat(attemptsOf(node, "doomed").get(2).get("retry").asInt()).isZero();
    }
  }

  @Test
  void eachAttemptIsCountedInTheMetricsAndADeadTaskIsAnErrorReportOfItsApp() throws Exception {
    try (Node node = deployed(dir.resolve("node"))) {
      JsonNode env = env(node);
      String url = env.get("url").asText();
      String token = env.get("token").asText();
      // fast: a retry, then done; once (retry_limit = 1): a retry, then dead.
      assertThat(
              post(url + "/queues/fast/tasks", token, "{\"path\": \"/work/m?fail=1\"}")
                  .statusCode())
          .isEqualTo(201);
      assertThat(
              post(
                      url + "/queues/once/tasks",
                      token,
                      "{\"name\": \"lost\", \"path\": \"/work/x?fail=9\"}")
                  .statusCode())
          .isEqualTo(201);

      String admin = new Tokens(node.layout().tokensFile()).create("scraper");
      String w = "app=\"worker\"";
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                String text = metrics(node, admin);
                assertThat(tasksTotal(text, w, "queue=\"fast\"", "outcome=\"retry\"")).isEqualTo(1);
                assertThat(tasksTotal(text, w, "queue=\"fast\"", "outcome=\"done\"")).isEqualTo(1);
                assertThat(tasksTotal(text, w, "queue=\"once\"", "outcome=\"retry\"")).isEqualTo(1);
                assertThat(tasksTotal(text, w, "queue=\"once\"", "outcome=\"dead\"")).isEqualTo(1);
              });
      assertThat(metrics(node, admin))
          .containsPattern("(?m)^# TYPE silver_tasks(_total)? counter$");
      assertThat(tasksTotal(metrics(node, admin), w, "queue=\"fast\"", "outcome=\"dead\""))
          .isEqualTo(-1);

      // The dead task is an error report of the live instance, one group for its queue.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                List<JsonNode> task = taskErrors(node);
                assertThat(task).hasSize(1);
                assertThat(task.get(0).get("message").asText()).isEqualTo("once");
                assertThat(task.get(0).get("count").asInt()).isEqualTo(1);
                assertThat(task.get(0).get("sample").asText())
                    .contains("(lost)")
                    .contains("dead after attempt 2")
                    .contains("HTTP 500");
              });
    }
  }

  private static List<JsonNode> taskErrors(Node node) {
    JsonNode groups =
        JSON.valueToTree(
                node.monitor()
                    .errors("worker", org.silverlining.core.Location.parse("w.test").toString()))
            .get("groups");
    List<JsonNode> task = new ArrayList<>();
    groups.forEach(
        g -> {
          if (g.get("kind").asText().equals("task")) {
            task.add(g);
          }
        });
    return task;
  }

  private static String metrics(Node node, String token) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + "/metrics"))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /** The value of the {@code silver_tasks_total} sample with all of {@code labels}, or -1. */
  private static double tasksTotal(String text, String... labels) {
    for (String line : text.split("\n")) {
      if (!line.startsWith("silver_tasks_total{")) {
        continue;
      }
      boolean all = true;
      for (String l : labels) {
        all &= line.contains(l);
      }
      if (all) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }

  private static JsonNode env(Node node) throws Exception {
    return JSON.readTree(
        HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort(node) + "/env"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  @Test
  void theTasksApiRefusesWrongTokensUnknownQueuesAndLargeBodies() throws Exception {
    try (Node node = deployed(dir.resolve("node"))) {
      JsonNode env = env(node);
      String url = env.get("url").asText();
      String token = env.get("token").asText();
      assertThat(url).isEqualTo("http://127.0.0.1:" + node.tasksPort());

      assertThat(post(url + "/queues/default/tasks", "task_wrong", "{\"path\":\"/\"}").statusCode())
          .isEqualTo(401);
      assertThat(post(url + "/queues/default/tasks", null, "{\"path\":\"/\"}").statusCode())
          .isEqualTo(401);
      assertThat(post(url + "/queues/nope/tasks", token, "{\"path\":\"/\"}").statusCode())
          .isEqualTo(404);
      assertThat(post(url + "/queues/default/tasks", token, "{\"body\":\"x\"}").statusCode())
          .isEqualTo(400);
      String big = "x".repeat(TaskRequest.MAX_BODY + 1);
      assertThat(
              post(
                      url + "/queues/default/tasks",
                      token,
                      "{\"path\":\"/\",\"body\":\"" + big + "\"}")
                  .statusCode())
          .isEqualTo(413);
      // A request that declares more than the limit is refused before its body is read.
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", node.tasksPort())) {
        socket
            .getOutputStream()
            .write(
                ("POST /queues/default/tasks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                        + token
                        + "\r\nContent-Length: "
                        + (TaskRequest.MAX_REQUEST + 1)
                        + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.setSoTimeout(10_000);
        String status =
            new java.io.BufferedReader(
                    new java.io.InputStreamReader(
                        socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
                .readLine();
        assertThat(status).startsWith("HTTP/1.1 413");
      }
      // One that does not declare its length is refused once it has sent more.
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", node.tasksPort())) {
        java.io.OutputStream out = socket.getOutputStream();
        out.write(
            ("POST /queues/default/tasks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + token
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        byte[] chunk = new byte[64 * 1024];
        String size = Integer.toHexString(chunk.length) + "\r\n";
        try {
          for (int sent = 0; sent <= TaskRequest.MAX_REQUEST; sent += chunk.length) {
            out.write(size.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(chunk);
            out.write("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          }
          out.write("0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (java.io.IOException e) {
          // the node answered and closed before the end
        }
        socket.setSoTimeout(10_000);
        String status =
            new java.io.BufferedReader(
                    new java.io.InputStreamReader(
                        socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
                .readLine();
        assertThat(status).startsWith("HTTP/1.1 413");
      }
      HttpResponse<String> ok =
          post(url + "/queues/default/tasks", token, "{\"path\":\"/work/default\"}");
      assertThat(ok.statusCode()).isEqualTo(201);
      assertThat(JSON.readTree(ok.body()).get("queue").asText()).isEqualTo("default");
    }
  }

  @Test
  void anAcknowledgedTaskIsDeliveredByTheNextNodeAfterAnAbruptStop() throws Exception {
    Path root = dir.resolve("node");
    Node first = deployed(root);
    JsonNode env = env(first);
    HttpResponse<String> r =
        post(
            env.get("url").asText() + "/queues/default/tasks",
            env.get("token").asText(),
            "{\"name\": \"survivor\", \"path\": \"/work/s\", \"delay_seconds\": 1.5}");
    assertThat(r.statusCode()).isEqualTo(201);
    first.close(); // before the task was due: the store closes without delivering it
    assertThat(attemptsOf(first, "survivor")).isEmpty();

    try (Node second = TestApps.startNode(root)) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> attemptsOf(second, "survivor").size() == 1);
    }
  }

  @Test
  void aPausedQueueKeepsItsTasks() throws Exception {
    try (Node node = deployed(dir.resolve("node"))) {
      JsonNode env = env(node);
      post(
          env.get("url").asText() + "/queues/slow/tasks",
          env.get("token").asText(),
          "{\"name\": \"held\", \"path\": \"/work/h\"}");
      // A task queued after it on a running queue has run: the dispatcher has looked at both.
      post(
          env.get("url").asText() + "/queues/fast/tasks",
          env.get("token").asText(),
          "{\"name\": \"probe\", \"path\": \"/work/p\"}");
      await().atMost(Duration.ofSeconds(20)).until(() -> attemptsOf(node, "probe").size() == 1);

      assertThat(attemptsOf(node, "held")).isEmpty();
      assertThat(counts(node, "slow").path("queued").asInt()).isEqualTo(1);
      assertThat(node.jobs().purgeQueue("w.test", "slow").purged()).isEqualTo(1);
    }
  }
}

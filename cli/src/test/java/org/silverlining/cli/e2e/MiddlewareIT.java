package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Middleware packs through a real node and the real CLI: applied, shown with secrets hidden,
 * revised and reverted, kept across a node restart, and refused with a clear error (nothing
 * changed) for bad settings — while a client sends requests all along and none fails.
 */
class MiddlewareIT {
  private static final String HOST = "mw.localhost";

  /** Made with Apache's {@code htpasswd -nbB -C 10 bob 'open sesame'}. */
  static final String BOB = "bob:$2y$10$ugmsHexakcMAHDzHkz9RPec40lVI.aLNnyrmJN7.4AH5UfzVapp56";

  /** A small app: {@code /} says hello, {@code /echo} shows the request's headers. */
  static final String APP =
      """
      import json, os
      from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
      class H(BaseHTTPRequestHandler):
          protocol_version = "HTTP/1.1"
          def do_GET(self):
              if self.path.split("?")[0] == "/echo":
                  body = json.dumps({k.lower(): v for k, v in self.headers.items()}).encode()
              elif self.path == "/fail":
                  self.send_response(500); self.send_header("Content-Length", "5"); self.end_headers()
                  self.wfile.write(b"boom\\n"); return
              else:
                  body = b"hello\\n"
              self.send_response(200); self.send_header("Content-Length", str(len(body)))
              self.send_header("X-Frame-Options", "ALLOWALL"); self.send_header("X-Powered-By", "python")
              self.end_headers(); self.wfile.write(body)
          def log_message(self, *a): pass
      ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
      """;

  @TempDir Path dir;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static Path writeApp(Path dir) throws Exception {
    Path app = dir.resolve("app");
    Files.createDirectories(app.resolve("static"));
    Files.writeString(
        app.resolve("app.ini"),
        "[production]\napp_name = mw\nruntime = command\nrunner = python3 app.py\nhealth = /\n");
    Files.writeString(app.resolve("app.py"), APP);
    Files.writeString(app.resolve("static/style.css"), "body {}\n");
    return app;
  }

  @Test
  void passwordAndHeadersAreAppliedRevisedRevertedAndKeptAcrossARestartWithoutAFailedRequest()
      throws Exception {
    try (TestNode node = TestNode.start(dir)) {
      node.update(writeApp(dir), HOST);
      Loop loop = new Loop(node.httpPort());
      loop.start();
      try {
        // Bad settings: a clear error, and nothing recorded.
        TestNode.Result bad =
            node.silver("apply-middleware", "password", HOST, "--set", "usr=alice");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr()).contains("unknown setting 'usr'").contains("user, password");
        Path md5 = dir.resolve("md5.htpasswd");
        Files.writeString(md5, BOB + "\ndave:$apr1$Pf6OiqLK$/wCcm2b0PzYQAke4SjX9c/\n");
        bad = node.silver("apply-middleware", "password", HOST, "--set", "htpasswd=" + md5);
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr()).contains("htpasswd line 2 (dave) is not a bcrypt hash");
        bad =
            node.silver(
                "apply-middleware", "password", HOST, "--set", "htpasswd=" + dir.resolve("none"));
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr()).contains("cannot read the htpasswd file");
        bad = node.silver("apply-middleware", "headers", HOST, "--set", "frame=sometimes");
        assertThat(bad.stderr()).contains("frame is one of DENY, SAMEORIGIN");
        assertThat(node.silver("show-middleware", HOST, "--revisions").stdout())
            .contains("No middleware revisions");
        assertThat(get("/", null).statusCode()).isEqualTo(200);

        // password: 401 with a Basic challenge, the right password passes, a wrong one is logged.
        ok(
            node.silver(
                "apply-middleware",
                "password",
                HOST,
                "--set",
                "user=alice",
                "--set",
                "password=s3cret",
                "--set",
                "realm=staging"));
        HttpResponse<String> none = get("/", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate"))
            .hasValue("Basic realm=\"staging\", charset=\"UTF-8\"");
        assertThat(get("/", "alice:wrong").statusCode()).isEqualTo(401);
        assertThat(get("/", "alice:s3cret").statusCode()).isEqualTo(200);
        loop.credentials = "alice:s3cret";

        // headers, before password: on the 401 too, on static files, replacing the app's own.
        ok(
            node.silver(
                "apply-middleware",
                "headers",
                HOST,
                "--set",
                "csp=default-src 'self'",
                "--set",
                "frame=DENY",
                "--set",
                "nosniff=true",
                "--set",
                "header.X-Powered-By=",
                "--before",
                "password"));
        HttpResponse<String> app = get("/", "alice:s3cret");
        assertThat(app.headers().firstValue("Content-Security-Policy"))
            .hasValue("default-src 'self'");
        assertThat(app.headers().allValues("X-Frame-Options")).containsExactly("DENY");
        assertThat(app.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(app.headers().firstValue("X-Powered-By")).isEmpty();
        assertThat(
                get("/style.css", "alice:s3cret").headers().firstValue("Content-Security-Policy"))
            .hasValue("default-src 'self'");
        assertThat(get("/style.css", null).headers().firstValue("Content-Security-Policy"))
            .hasValue("default-src 'self'");

        TestNode.Result shown = ok(node.silver("show-middleware", HOST));
        assertThat(shown.stdout())
            .containsSubsequence("headers", "password")
            .doesNotContain("s3cret");
        JsonNode json =
            new ObjectMapper()
                .readTree(ok(node.silver("show-middleware", HOST, "--json")).stdout());
        assertThat(json.path("revision").asInt()).isEqualTo(2);
        assertThat(json.path("packs").get(1).path("settings").path("password").asText())
            .isEqualTo("********");
        assertThat(json.path("packs").get(1).path("settings").path("user").asText())
            .isEqualTo("alice");
        JsonNode query = new ObjectMapper().readTree(ok(node.silver("query", "--json")).stdout());
        assertThat(query.path("locations").get(0).path("middleware").toString())
            .isEqualTo("[\"headers\",\"password\"]");
        assertThat(ok(node.silver("query")).stdout()).contains("headers, password");

        // An htpasswd file made by Apache's htpasswd -B replaces the single user in its place.
        Path htpasswd = dir.resolve("users.htpasswd");
        Files.writeString(htpasswd, "# team\n" + BOB + "\n");
        ok(node.silver("apply-middleware", "password", HOST, "--set", "htpasswd=" + htpasswd));
        loop.credentials = "bob:open sesame";
        assertThat(get("/", "bob:open sesame").statusCode()).isEqualTo(200);
        assertThat(get("/", "alice:s3cret").statusCode()).isEqualTo(401);

        // Revisions are listed and revertible; the revert is a new revision.
        assertThat(ok(node.silver("show-middleware", HOST, "--revisions")).stdout())
            .contains("Apply password", "Apply headers");
        loop.credentials = null;
        ok(node.silver("apply-middleware", "--revert", "2", HOST));
        assertThat(get("/", "alice:s3cret").statusCode()).isEqualTo(200);
        assertThat(get("/", "bob:open sesame").statusCode()).isEqualTo(401);
        loop.credentials = "alice:s3cret";
        assertThat(ok(node.silver("show-middleware", HOST, "--json")).stdout())
            .contains("\"revision\" : 4");

        // Nothing holds the password in clear: not the state, not the logs.
        for (Path f : files(node.root())) {
          assertThat(Files.readString(f, StandardCharsets.ISO_8859_1))
              .as("%s", f)
              .doesNotContain("s3cret")
              .doesNotContain("open sesame");
        }
      } finally {
        loop.finish();
      }
      assertThat(loop.failures).as("requests that failed while packs changed").isEmpty();
      assertThat(loop.count.get()).isPositive();

      // Kept across a restart of the node.
      node.stop();
      node.startProcess();
      assertThat(get(node, "/", null).statusCode()).isEqualTo(401);
      HttpResponse<String> after = get(node, "/", "alice:s3cret");
      assertThat(after.statusCode()).isEqualTo(200);
      assertThat(after.headers().firstValue("Content-Security-Policy"))
          .hasValue("default-src 'self'");

      ok(node.silver("remove-middleware", "password", HOST));
      ok(node.silver("remove-middleware", "headers", HOST));
      HttpResponse<String> plain = get(node, "/", null);
      assertThat(plain.statusCode()).isEqualTo(200);
      assertThat(plain.headers().firstValue("Content-Security-Policy")).isEmpty();
      TestNode.Result gone = node.silver("remove-middleware", "headers", HOST);
      assertThat(gone.exitCode()).isNotZero();
      assertThat(gone.stderr()).contains("'headers' is not applied to " + HOST);
    }
  }

  /** Made by the test: refuses requests with {@code X-Block: 1}; waits while a HOLD file exists. */
  static final String BLOCKER =
      """
      import http.server, os, time
      while os.path.exists("HOLD"):
          time.sleep(0.05)
      class H(http.server.BaseHTTPRequestHandler):
          def answer(self):
              blocked = self.headers.get("X-Block") == "1"
              self.send_response(403 if blocked else 204); self.send_header("Content-Length", "0")
              self.end_headers()
          do_GET = do_POST = do_HEAD = answer
          def log_message(self, *a): pass
      http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
      """;

  @Test
  void allowDisableRatelimitAuthRequestAndAThirdPartyPackThatFailsClosedWhenKilled()
      throws Exception {
    com.sun.net.httpserver.HttpServer auth =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    auth.createContext(
        "/auth",
        x -> {
          boolean good = "good".equals(x.getRequestHeaders().getFirst("X-Token"));
          if (good) {
            x.getResponseHeaders().add("X-User", "alice");
            x.getResponseHeaders()
                .add("X-Seen-Uri", x.getRequestHeaders().getFirst("X-Original-URI"));
          } else {
            x.getResponseHeaders().add("WWW-Authenticate", "Bearer");
          }
          x.sendResponseHeaders(good ? 200 : 401, -1);
          x.close();
        });
    auth.start();
    try (TestNode node = TestNode.start(dir)) {
      node.update(writeApp(dir), HOST);
      port = node.httpPort();

      // allow: a bad network is refused; others than from get 403, recorded in the security log.
      TestNode.Result bad =
          node.silver("apply-middleware", "allow", HOST, "--set", "from=10.1.2/33");
      assertThat(bad.exitCode()).isNotZero();
      assertThat(bad.stderr()).contains("from:").contains("is not a network");
      ok(node.silver("apply-middleware", "allow", HOST, "--set", "from=10.1.2.3/32"));
      assertThat(get("/", null).statusCode()).isEqualTo(403);
      assertThat(ok(node.silver("security", "--json")).stdout()).contains("allow pack");
      ok(node.silver("apply-middleware", "allow", HOST, "--set", "from=10.0.0.0/8, 127.0.0.1"));
      assertThat(get("/", null).statusCode()).isEqualTo(200);
      ok(node.silver("remove-middleware", "allow", HOST));

      // disable: a maintenance page but for the team's network.
      ok(node.silver("apply-middleware", "disable", HOST, "--set", "allow=10.0.0.0/8"));
      HttpResponse<String> down = get("/", null);
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body()).contains("maintenance");
      ok(node.silver("apply-middleware", "disable", HOST, "--set", "allow=127.0.0.0/8"));
      assertThat(get("/", null).statusCode()).isEqualTo(200);
      ok(node.silver("remove-middleware", "disable", HOST));

      // ratelimit: bursts of 2, then 429 with Retry-After.
      bad = node.silver("apply-middleware", "ratelimit", HOST, "--set", "rate=fast");
      assertThat(bad.stderr()).contains("rate is N/s, N/m or N/h");
      ok(
          node.silver(
              "apply-middleware", "ratelimit", HOST, "--set", "rate=1/m", "--set", "burst=2"));
      assertThat(get("/", null).statusCode()).isEqualTo(200);
      assertThat(get("/", null).statusCode()).isEqualTo(200);
      HttpResponse<String> limited = get("/", null);
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.headers().firstValue("Retry-After")).isPresent();
      ok(node.silver("remove-middleware", "ratelimit", HOST));

      // auth-request: the service's 2xx passes with X-User copied; its 401 goes to the client.
      ok(
          node.silver(
              "apply-middleware",
              "auth-request",
              HOST,
              "--set",
              "url=http://127.0.0.1:" + auth.getAddress().getPort() + "/auth",
              "--set",
              "copy=X-User,X-Seen-Uri"));
      HttpResponse<String> refused = send(port, "/echo", null);
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      HttpRequest withToken =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo?q=1"))
              .header("Host", HOST)
              .header("X-Token", "good")
              .header("X-User", "mallory")
              .build();
      HttpResponse<String> echo = http.send(withToken, HttpResponse.BodyHandlers.ofString());
      assertThat(echo.statusCode()).isEqualTo(200);
      JsonNode seen = new ObjectMapper().readTree(echo.body());
      assertThat(seen.path("x-user").asText()).isEqualTo("alice");
      assertThat(seen.path("x-seen-uri").asText()).isEqualTo("/echo?q=1");
      ok(node.silver("remove-middleware", "auth-request", HOST));

      // A third-party pack from a folder: copied to the node, run, asked about each request.
      Path pack = dir.resolve("blocker");
      Files.createDirectories(pack);
      Files.writeString(
          pack.resolve("middleware.ini"),
          "[middleware]\nname = blocker\nversion = 1\ndescription = refuses X-Block\n"
              + "runner = python3 filter.py\n");
      Files.writeString(pack.resolve("filter.py"), BLOCKER);
      ok(node.silver("apply-middleware", pack.toString(), HOST));
      assertThat(ok(node.silver("middleware")).stdout()).contains("blocker", "refuses X-Block");
      HttpRequest blocked =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
              .header("Host", HOST)
              .header("X-Block", "1")
              .build();
      assertThat(http.send(blocked, HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(403);
      assertThat(get("/", null).statusCode()).isEqualTo(200);

      // Killed, and held from starting again: requests fail closed with 503; then it is back.
      ProcessHandle filter = packProcess(node);
      Files.writeString(node.root().resolve("middleware/blocker/1/HOLD"), "");
      filter.destroyForcibly();
      filter.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(get("/", null).statusCode()).isEqualTo(503);
      Files.delete(node.root().resolve("middleware/blocker/1/HOLD"));
      int status = 0;
      for (int i = 0; i < 600 && status != 200; i++) {
        Thread.sleep(100);
        status = get("/", null).statusCode();
      }
      assertThat(status).as("once restarted").isEqualTo(200);
      assertThat(packProcess(node).pid()).isNotEqualTo(filter.pid());
      ok(node.silver("remove-middleware", "blocker", HOST));
      assertThat(get("/", null).statusCode()).isEqualTo(200);
    } finally {
      auth.stop(0);
    }
  }

  /**
   * An app for the errors pack: {@code /fail} answers 500 with a traceback of its own, {@code /die}
   * ends the process without answering, and a process started after it waits 3 s before it listens
   * (the app is down meanwhile).
   */
  static final String FAILING_APP =
      """
      import os, sys, time
      from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
      marker = os.path.join(os.environ["TMPDIR"], "died")
      if os.path.exists(marker):
          os.remove(marker); time.sleep(3)
      class H(BaseHTTPRequestHandler):
          protocol_version = "HTTP/1.1"
          def do_GET(self):
              if self.path == "/die":
                  open(marker, "w").close(); os._exit(1)
              status, body = (500, b"Traceback: KeyError 'cart'\\n") if self.path.startswith("/fail") else (200, b"hello\\n")
              self.send_response(status); self.send_header("Content-Length", str(len(body)))
              self.send_header("X-Debug", "secret"); self.end_headers(); self.wfile.write(body)
          def log_message(self, *a): pass
      ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
      """;

  @Test
  void errorsPackAnswersTheAppsFailuresAndUnreachableProcessWithAPageAndKeepsTheOriginal()
      throws Exception {
    Path app = writeApp(dir);
    Files.writeString(app.resolve("app.py"), FAILING_APP);
    Files.createDirectories(app.resolve("errors"));
    Files.writeString(app.resolve("errors/500.html"), "<h1>Our own 500 page</h1>\n");
    Path page = dir.resolve("down.html");
    Files.writeString(page, "<h1>Back in a moment</h1>\n");
    try (TestNode node = TestNode.start(dir)) {
      node.update(app, HOST);
      port = node.httpPort();
      HttpResponse<String> plain = get("/fail-without-pack", null);
      assertThat(plain.statusCode()).isEqualTo(500);
      assertThat(plain.body()).contains("KeyError");

      // Bad settings: refused, naming the setting, and nothing recorded.
      TestNode.Result bad =
          node.silver("apply-middleware", "errors", HOST, "--set", "page.404=" + page);
      assertThat(bad.exitCode()).isNotZero();
      assertThat(bad.stderr()).contains("page.404: a page is for a status 500 to 599");
      bad = node.silver("apply-middleware", "errors", HOST, "--set", "pages=" + page);
      assertThat(bad.stderr()).contains("unknown setting 'pages'").contains("page.NAME");
      bad =
          node.silver(
              "apply-middleware", "errors", HOST, "--set", "page.5xx=" + dir.resolve("none"));
      assertThat(bad.stderr()).contains("cannot read the page.5xx file");
      assertThat(node.silver("show-middleware", HOST, "--revisions").stdout())
          .contains("No middleware revisions");

      ok(node.silver("apply-middleware", "errors", HOST, "--set", "page.502=" + page));
      assertThat(ok(node.silver("show-middleware", HOST)).stdout())
          .contains("errors")
          .doesNotContain("Back in a moment");
      // The app's 500: its errors/500.html instead, with none of the app's headers.
      HttpResponse<String> caught = get("/fail", null);
      assertThat(caught.statusCode()).isEqualTo(500);
      assertThat(caught.body()).isEqualTo("<h1>Our own 500 page</h1>\n");
      assertThat(caught.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(caught.headers().firstValue("X-Debug")).isEmpty();
      assertThat(get("/", null).body()).isEqualTo("hello\n");

      // The process ends without answering, then is down while it restarts: the pack's page.
      HttpResponse<String> died = get("/die", null);
      assertThat(died.statusCode()).isEqualTo(502);
      assertThat(died.body()).isEqualTo("<h1>Back in a moment</h1>\n");
      HttpResponse<String> down = get("/", null);
      assertThat(down.statusCode()).isEqualTo(502);
      assertThat(down.body()).isEqualTo("<h1>Back in a moment</h1>\n");

      // What the pages replaced is in the error reports.
      JsonNode groups =
          new ObjectMapper()
              .readTree(ok(node.silver("errors", HOST, "--json")).stdout())
              .path("groups");
      List<String> samples = new ArrayList<>();
      groups.forEach(g -> samples.add(g.path("type").asText() + ": " + g.path("sample").asText()));
      assertThat(samples)
          .anyMatch(x -> x.startsWith("HTTP 500: GET /fail answered 500") && x.contains("KeyError"))
          .anyMatch(
              x -> x.startsWith("HTTP 502: GET /die answered 502") && x.contains("did not answer"))
          .anyMatch(
              x ->
                  x.startsWith("HTTP 502: GET / answered 502") && x.contains("Connection refused"));
      ok(node.silver("remove-middleware", "errors", HOST));
    }
  }

  private static ProcessHandle packProcess(TestNode node) {
    return node.process()
        .descendants()
        .filter(p -> p.info().commandLine().orElse("").contains("filter.py"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no pack process"));
  }

  private int port;

  private HttpResponse<String> get(String path, String credentials) throws Exception {
    return send(port, path, credentials);
  }

  private HttpResponse<String> get(TestNode node, String path, String credentials)
      throws Exception {
    port = node.httpPort();
    return send(port, path, credentials);
  }

  private HttpResponse<String> send(int port, String path, String credentials) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Host", HOST)
            .timeout(Duration.ofSeconds(30));
    if (credentials != null) {
      b.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static TestNode.Result ok(TestNode.Result r) {
    assertThat(r.exitCode()).as("%s", r.output()).isZero();
    return r;
  }

  private static List<Path> files(Path root) throws Exception {
    try (var walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".jar")).toList();
    }
  }

  /** Sends GET / without pause; any answer but 200 or 401, or any failure, is recorded. */
  private final class Loop extends Thread {
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong count = new AtomicLong();
    final AtomicBoolean running = new AtomicBoolean(true);
    volatile String credentials;

    Loop(int port) {
      MiddlewareIT.this.port = port;
      setDaemon(true);
    }

    @Override
    public void run() {
      while (running.get()) {
        try {
          int status = get("/", credentials).statusCode();
          if (status != 200 && status != 401) {
            failures.add("status " + status);
          }
        } catch (Exception e) {
          failures.add(e.toString());
        }
        count.incrementAndGet();
      }
    }

    void finish() throws InterruptedException {
      running.set(false);
      join(60_000);
    }
  }
}

package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * resources.ini in development: {@code silver serve} gives the members and development URLs and
 * points static HTML and the app's HTML answers at them, {@code --minify} serves what production
 * will, and {@code silver resources fetch} downloads the production URLs from a real HTTP server.
 */
class ResourcesIT {
  /** Answers its page.html as text/html at /page, and its resources file at /resources. */
  private static final String APP_PY =
      """
      import http.server, os
      class H(http.server.BaseHTTPRequestHandler):
          def log_message(self, *a): pass
          def do_GET(self):
              page = self.path == "/page"
              body = open("page.html" if page else os.environ["SILVER_RESOURCES_FILE"], "rb").read()
              self.send_response(200)
              self.send_header("Content-Type", "text/html; charset=utf-8" if page else "application/json")
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)
      http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private HttpServer cdn;
  private String cdnUrl;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void startCdn() throws Exception {
    cdn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    Map<String, String> files =
        Map.of("/lib/jquery.min.js", "window.jq = 1;\n", "/lib/site.css", "p { color: red }\n");
    cdn.createContext(
        "/",
        x -> {
          String body = files.get(x.getRequestURI().getPath());
          byte[] bytes = (body == null ? "no" : body).getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
          x.getResponseBody().write(bytes);
          x.close();
        });
    cdn.start();
    cdnUrl = "http://127.0.0.1:" + cdn.getAddress().getPort();
  }

  @AfterEach
  void stopCdn() {
    cdn.stop(0);
  }

  private Path app(String extraIni) throws Exception {
    Path app = dir.resolve("app");
    Map<String, String> files =
        Map.of(
            "app.ini",
            "[production]\napp_name = resapp\nruntime = command\nrunner = python3 app.py\n",
            "app.py",
            APP_PY,
            "resources.ini",
            "[jquery]\nproduction = "
                + cdnUrl
                + "/lib/jquery.min.js\ndevel = /_devel/jquery.js\n"
                + "[js]\na.js file = static/js/a.js\nb.js file = static/js/b.js\n"
                + "all_js combine = a.js b.js\n"
                + extraIni,
            "static/js/a.js",
            "/* a: kept in development */\nfunction alphaMarker(x) {\n  return x + 1;\n}\n",
            "static/js/b.js",
            "function betaMarker(y) {\n  var longName = y;\n  return longName;\n}\n",
            "static/index.html",
            "<script src=\"" + cdnUrl + "/lib/jquery.min.js\"></script>\n",
            "page.html",
            "<p>from the app</p><script src=\"" + cdnUrl + "/lib/jquery.min.js\"></script>\n");
    for (Map.Entry<String, String> f : files.entrySet()) {
      Files.createDirectories(app.resolve(f.getKey()).getParent());
      Files.writeString(app.resolve(f.getKey()), f.getValue());
    }
    return app;
  }

  @Test
  void fetchDownloadsEveryProductionUrlIntoStaticDevel() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    Path app = app("[css]\nproduction = " + cdnUrl + "/lib/site.css\n");

    TestNode.Result ok = TestNode.run(home, List.of("resources", "fetch", app.toString()), null);

    assertThat(ok.exitCode()).as(ok.output()).isZero();
    assertThat(app.resolve("static/_devel/jquery.js")).hasContent("window.jq = 1;");
    assertThat(app.resolve("static/_devel/site.css")).hasContent("p { color: red }");
    assertThat(ok.stdout()).contains("2 file(s) fetched.");

    Files.writeString(
        app.resolve("resources.ini"),
        "[jquery]\nproduction = "
            + cdnUrl
            + "/lib/jquery.min.js\n\n[gone]\nproduction = "
            + cdnUrl
            + "/lib/gone.js\n");
    TestNode.Result gone = TestNode.run(home, List.of("resources", "fetch", app.toString()), null);
    assertThat(gone.exitCode()).isNotZero();
    assertThat(gone.output()).contains("resources.ini:5", "/lib/gone.js answered 404");
    assertThat(app.resolve("static/_devel/gone.js")).doesNotExist();
    assertThat(app.resolve("static/_devel/gone.js.partial")).doesNotExist();
  }

  @Test
  void serveGivesDevelopmentUrlsAndMinifyServesWhatProductionWill() throws Exception {
    Path app = app("");
    Path home = Files.createDirectories(dir.resolve("home"));

    String devel =
        serve(
            app,
            home,
            List.of(),
            base -> {
              assertThat(get(base + "/index.html")).contains("src=\"/_devel/jquery.js\"");
              assertThat(get(base + "/page"))
                  .isEqualTo("<p>from the app</p><script src=\"/_devel/jquery.js\"></script>\n");
              JsonNode urls = JSON.readTree(get(base + "/resources"));
              assertThat(urls.get("all_js").isNull()).isTrue();
              assertThat(urls.get("jquery").asText()).isEqualTo("/_devel/jquery.js");
              assertThat(get(base + urls.get("a.js").asText())).contains("kept in development");
              return urls.get("a.js").asText();
            });
    assertThat(devel).matches("/static/\\d{8}_\\d{3}/js/a\\.js");

    serve(
        app,
        home,
        List.of("--minify"),
        base -> {
          assertThat(get(base + "/index.html")).contains(cdnUrl + "/lib/jquery.min.js");
          assertThat(get(base + "/page")).contains(cdnUrl + "/lib/jquery.min.js");
          JsonNode urls = JSON.readTree(get(base + "/resources"));
          assertThat(urls.get("a.js").isNull()).isTrue();
          assertThat(urls.get("jquery").asText()).isEqualTo(cdnUrl + "/lib/jquery.min.js");
          assertThat(get(base + urls.get("all_js").asText()))
              .contains("alphaMarker", "betaMarker")
              .doesNotContain("kept in development", "longName");
          return null;
        });
  }

  interface Check {
    String at(String base) throws Exception;
  }

  /** Runs {@code silver serve APP MORE...}, checks it once it answers, and stops it. */
  private String serve(Path app, Path home, List<String> more, Check check) throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(TestNode.SILVER.toString(), "serve", app.toString(), "--http", "127.0.0.1:0"));
    cmd.addAll(more);
    ProcessBuilder pb =
        new ProcessBuilder(cmd).directory(TestNode.PROJECT.toFile()).redirectErrorStream(true);
    pb.environment().put("HOME", home.toString());
    Path log = dir.resolve("serve" + more.size() + ".log");
    Process serve = pb.start();
    try {
      Matcher serving = NodeOutput.copy(serve, log, ServeIT.SERVING).get(120, TimeUnit.SECONDS);
      assertThat(serving).as("serve says where it serves").isNotNull();
      String base = "http://127.0.0.1:" + serving.group(1);
      // The front opens once the app is deployed: the first answer is already the app's.
      assertThat(get(base + "/resources")).startsWith("{");
      String[] out = new String[1];
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .untilAsserted(() -> out[0] = check.at(base));
      return out[0];
    } finally {
      List<ProcessHandle> left = serve.descendants().toList();
      serve.destroy();
      if (!serve.waitFor(60, TimeUnit.SECONDS)) {
        serve.destroyForcibly();
      }
      left.forEach(ProcessHandle::destroyForcibly);
      System.out.println("serve said:\n" + Files.readString(log, StandardCharsets.UTF_8).strip());
    }
  }

  private String get(String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
    return r.body();
  }
}

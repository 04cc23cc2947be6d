package org.silverlining.node.staticfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.core.InstanceName;
import org.silverlining.node.Node;
import org.silverlining.node.TestApps;
import org.silverlining.node.config.ConfigRejectedException;

/**
 * Static content through a real node: {@code $STATIC_URL} per deployment with far-future caching,
 * earlier deployments' URLs until they are pruned, revalidation of plain URLs, ranges, and
 * precompressed files.
 */
class StaticContentTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CSS = ".a { color: red; }\n".repeat(200);

  /** An app that answers its environment as JSON. */
  static final String ENV_PY =
      """
      import http.server, json, os
      class H(http.server.BaseHTTPRequestHandler):
          def log_message(self, *a): pass
          def do_GET(self):
              body = json.dumps({"path": self.path, "env": dict(os.environ)}).encode()
              self.send_response(200)
              self.send_header("Content-Type", "application/json")
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)
      http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
      """;

  @TempDir static Path dir;
  static Node node;
  static HttpClient http;
  static String first;

  @BeforeAll
  static void start() throws Exception {
    node = TestApps.startNode(dir.resolve("node"));
    first = deployBlog("v1", "");
    http = new HttpClient();
    http.start();
    http.getContentDecoderFactories().clear(); // see the encodings as sent (start adds them)
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

  /** Deploys the app "blog" at st.test/blog with a style sheet marked {@code mark}. */
  static String deployBlog(String mark, String iniLines) throws Exception {
    Path app = dir.resolve("blog-" + mark);
    TestApps.write(
        app,
        Map.of(
            "app.py",
            ENV_PY,
            "app.ini",
            TestApps.commandIni("blog", "python3 app.py", iniLines),
            "static/css/site.css",
            "/* " + mark + " */\n" + CSS,
            "static/index.html",
            "<h1>" + mark + "</h1>\n",
            "static/js/app.js",
            "var x = 1;\n".repeat(100),
            "static/data.bin",
            "0123456789"));
    Files.write(app.resolve("static/js/app.js.gz"), gzip("var x = 1;\n".repeat(100)));
    return TestApps.deploy(node, "blog", "st.test/blog", TestApps.pack(app));
  }

  static byte[] gzip(String text) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  static Request request(String host, String path) {
    return http.newRequest("127.0.0.1", node.httpPort())
        .path(path)
        .headers(h -> h.put(HttpHeader.HOST, host))
        .timeout(20, TimeUnit.SECONDS);
  }

  static ContentResponse get(String path) throws Exception {
    return request("st.test", path).send();
  }

  static String staticUrl(String instance) {
    return "/blog/static/" + InstanceName.parse(instance).version();
  }

  static JsonNode env() throws Exception {
    return JSON.readTree(get("/blog/env").getContentAsString()).get("env");
  }

  @Test
  void theAppGetsItsStaticUrlAndTheQueryShowsIt() throws Exception {
    String live = node.status().query().toString();
    String current = env().get("SILVER_INSTANCE_NAME").asText();

    assertThat(env().get("STATIC_URL").asText()).isEqualTo(staticUrl(current));
    assertThat(live).contains("static_url=" + staticUrl(current));
  }

  @Test
  void versionedFilesAreCachedForAYearAsImmutable() throws Exception {
    String url = env().get("STATIC_URL").asText() + "/css/site.css";
    ContentResponse r = get(url);

    assertThat(r.getStatus()).isEqualTo(200);
    assertThat(r.getContentAsString()).endsWith(CSS);
    assertThat(r.getHeaders().get(HttpHeader.CACHE_CONTROL))
        .isEqualTo("public, max-age=31536000, immutable");
    assertThat(r.getMediaType()).isEqualTo("text/css");
    assertThat(r.getHeaders().get(HttpHeader.ETAG)).isNotBlank();
  }

  @Test
  void plainFilesAreRevalidatedWithETagAndLastModified() throws Exception {
    ContentResponse r = get("/blog/css/site.css");
    String etag = r.getHeaders().get(HttpHeader.ETAG);
    String modified = r.getHeaders().get(HttpHeader.LAST_MODIFIED);

    assertThat(r.getStatus()).isEqualTo(200);
    assertThat(r.getHeaders().get(HttpHeader.CACHE_CONTROL)).isEqualTo("no-cache");
    ContentResponse byTag =
        request("st.test", "/blog/css/site.css")
            .headers(h -> h.put(HttpHeader.IF_NONE_MATCH, etag))
            .send();
    assertThat(byTag.getStatus()).isEqualTo(304);
    assertThat(byTag.getContent()).isEmpty();
    assertThat(byTag.getHeaders().get(HttpHeader.ETAG)).isEqualTo(etag);
    ContentResponse otherTag =
        request("st.test", "/blog/css/site.css")
            .headers(h -> h.put(HttpHeader.IF_NONE_MATCH, "\"other\""))
            .send();
    assertThat(otherTag.getStatus()).isEqualTo(200);
    ContentResponse byDate =
        request("st.test", "/blog/css/site.css")
            .headers(h -> h.put(HttpHeader.IF_MODIFIED_SINCE, modified))
            .send();
    assertThat(byDate.getStatus()).isEqualTo(304);
  }

  @Test
  void rangesOfVersionedFilesAreAnswered() throws Exception {
    String url = env().get("STATIC_URL").asText() + "/data.bin";
    ContentResponse part =
        request("st.test", url).headers(h -> h.put(HttpHeader.RANGE, "bytes=2-5")).send();
    ContentResponse tail =
        request("st.test", url).headers(h -> h.put(HttpHeader.RANGE, "bytes=-3")).send();
    ContentResponse outside =
        request("st.test", url).headers(h -> h.put(HttpHeader.RANGE, "bytes=50-")).send();

    assertThat(part.getStatus()).isEqualTo(206);
    assertThat(part.getContentAsString()).isEqualTo("2345");
    assertThat(part.getHeaders().get(HttpHeader.CONTENT_RANGE)).isEqualTo("bytes 2-5/10");
    assertThat(tail.getContentAsString()).isEqualTo("789");
    assertThat(outside.getStatus()).isEqualTo(416);
    assertThat(outside.getHeaders().get(HttpHeader.CONTENT_RANGE)).isEqualTo("bytes */10");
  }

  @Test
  void aMissingVersionedFileIsTheNodesNotFoundNotTheApps() throws Exception {
    ContentResponse r = get(env().get("STATIC_URL").asText() + "/nothing.css");
    ContentResponse unknown = get("/blog/static/19990101_001/css/site.css");

    assertThat(r.getStatus()).isEqualTo(404);
    assertThat(r.getContentAsString()).doesNotContain("\"env\"");
    assertThat(unknown.getStatus()).isEqualTo(404);
  }

  @Test
  void aGzipFileBesideTheOriginalIsSentToClientsThatAcceptIt() throws Exception {
    String url = env().get("STATIC_URL").asText() + "/js/app.js";
    ContentResponse zipped =
        request("st.test", url).headers(h -> h.put(HttpHeader.ACCEPT_ENCODING, "gzip")).send();
    ContentResponse plain = get(url);
    ContentResponse refused =
        request("st.test", url)
            .headers(h -> h.put(HttpHeader.ACCEPT_ENCODING, "gzip;q=0, identity"))
            .send();

    assertThat(zipped.getHeaders().get(HttpHeader.CONTENT_ENCODING)).isEqualTo("gzip");
    assertThat(zipped.getContent()).isEqualTo(gzip("var x = 1;\n".repeat(100)));
    assertThat(zipped.getHeaders().get(HttpHeader.VARY)).isEqualTo("Accept-Encoding");
    assertThat(plain.getHeaders().get(HttpHeader.CONTENT_ENCODING)).isNull();
    assertThat(plain.getContentAsString()).isEqualTo("var x = 1;\n".repeat(100));
    assertThat(plain.getHeaders().get(HttpHeader.VARY)).isEqualTo("Accept-Encoding");
    assertThat(refused.getHeaders().get(HttpHeader.CONTENT_ENCODING)).isNull();
    assertThat(zipped.getHeaders().get(HttpHeader.ETAG))
        .isNotEqualTo(plain.getHeaders().get(HttpHeader.ETAG));
  }

  @Test
  void textFilesArePrecompressedAtDeployTimeAndSentAsTheyAre() throws Exception {
    String url = env().get("STATIC_URL").asText() + "/css/site.css";
    String instance = env().get("SILVER_INSTANCE_NAME").asText();
    Path gz = node.layout().instanceDir("blog", instance).resolve("static/css/site.css.gz");
    ContentResponse zipped =
        request("st.test", url).headers(h -> h.put(HttpHeader.ACCEPT_ENCODING, "gzip")).send();

    assertThat(gz).exists();
    assertThat(zipped.getHeaders().get(HttpHeader.CONTENT_ENCODING)).isEqualTo("gzip");
    assertThat(zipped.getContent()).isEqualTo(Files.readAllBytes(gz));
    assertThat(gunzip(zipped.getContent())).endsWith(CSS);
    assertThat(zipped.getContent().length).isLessThan(CSS.length() / 10);
    assertThat(node.layout().instanceDir("blog", instance).resolve("static/data.bin.gz"))
        .doesNotExist();
  }

  @Test
  void theAppsTextAnswersAreGzippedForClientsThatAcceptIt() throws Exception {
    ContentResponse zipped =
        request("st.test", "/blog/env")
            .headers(h -> h.put(HttpHeader.ACCEPT_ENCODING, "gzip"))
            .send();
    ContentResponse plain = get("/blog/env");

    assertThat(zipped.getHeaders().get(HttpHeader.CONTENT_ENCODING)).isEqualTo("gzip");
    assertThat(zipped.getHeaders().get(HttpHeader.VARY)).contains("Accept-Encoding");
    assertThat(JSON.readTree(gunzip(zipped.getContent())).get("path").asText()).isEqualTo("/env");
    assertThat(plain.getHeaders().get(HttpHeader.CONTENT_ENCODING)).isNull();
    assertThat(JSON.readTree(plain.getContentAsString()).get("path").asText()).isEqualTo("/env");
  }

  static String gunzip(byte[] data) throws Exception {
    try (java.util.zip.GZIPInputStream in =
        new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void pathsOutsideStaticStillReachTheApp() throws Exception {
    assertThat(JSON.readTree(get("/blog/static/notaversion/x").getContentAsString())).isNotNull();
    assertThat(get("/blog/static/notaversion/x").getStatus()).isEqualTo(200);
    assertThat(get("/blog/").getContentAsString()).startsWith("<h1>");
  }

  /**
   * Earlier deployments keep answering at their own URLs, a CDN base from app.ini or the global
   * configuration replaces the node in STATIC_URL, and a pruned deployment's URL is a 404. One
   * test, since each step deploys again.
   */
  @Test
  void earlierDeploymentsAnswerUntilPrunedAndACdnBaseIsUsed() throws Exception {
    String v1 = staticUrl(first);
    String second = deployBlog("v2", "static_url = https://cdn.example.test/\n");

    assertThat(get(v1 + "/css/site.css").getContentAsString()).startsWith("/* v1 */");
    assertThat(get(staticUrl(second) + "/css/site.css").getContentAsString())
        .startsWith("/* v2 */");
    assertThat(get("/blog/css/site.css").getContentAsString()).startsWith("/* v2 */");
    assertThat(env().get("STATIC_URL").asText())
        .isEqualTo("https://cdn.example.test" + staticUrl(second));
    assertThat(node.status().query().toString())
        .contains("static_url=https://cdn.example.test" + staticUrl(second));

    node.globalConfig().change(null, "static_url", "https://global-cdn.example.test", "test");
    String third = deployBlog("v3", "");
    assertThat(env().get("STATIC_URL").asText())
        .isEqualTo("https://global-cdn.example.test" + staticUrl(third));
    assertThatThrownBy(() -> node.globalConfig().change(null, "static_url", "ftp://x", "test"))
        .isInstanceOf(ConfigRejectedException.class)
        .hasMessageContaining("static_url");
    node.globalConfig().change(null, "static_url", null, "test");

    List<String> later = new java.util.ArrayList<>();
    for (int i = 4; i <= 7; i++) {
      later.add(deployBlog("v" + i, ""));
    }
    assertThat(get(v1 + "/css/site.css").getStatus()).isEqualTo(404);
    assertThat(get(staticUrl(third) + "/css/site.css").getContentAsString()).startsWith("/* v3 */");
    assertThat(env().get("STATIC_URL").asText()).isEqualTo(staticUrl(later.get(3)));
  }
}

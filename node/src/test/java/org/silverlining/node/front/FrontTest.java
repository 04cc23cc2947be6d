package org.silverlining.node.front;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ByteBufferPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.Node;
import org.silverlining.node.TestApps;

/** The HTTP front of a real node on a free port, in front of real Python apps. */
class FrontTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Node node;
  static HttpClient http;
  static String rootInstance;
  static String blogInstance;

  @BeforeAll
  static void deployApps() throws Exception {
    node = TestApps.startNode(dir.resolve("node"));
    Map<String, String> statics =
        Map.of(
            "static/hello.txt", "hello from static\n",
            "static/docs/index.html", "<h1>docs</h1>\n",
            "static/app.py", "a static file shadows nothing of the app\n");
    rootInstance =
        TestApps.deploy(
            node,
            "echo",
            "h.test",
            TestApps.pack(TestApps.echoApp(dir.resolve("echo"), "echo", statics)));
    blogInstance =
        TestApps.deploy(
            node,
            "blog",
            "h.test/blog",
            TestApps.pack(TestApps.echoApp(dir.resolve("blog"), "blog", statics)));
    TestApps.deploy(
        node,
        "down",
        "down.test",
        TestApps.pack(TestApps.echoApp(dir.resolve("down"), "down", Map.of())));
    node.releases().setDisabled("down", true);
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

  static Request request(String host, String path) {
    return http.newRequest("127.0.0.1", node.httpPort())
        .path(path)
        .headers(h -> h.put(HttpHeader.HOST, host))
        .timeout(20, TimeUnit.SECONDS);
  }

  static ContentResponse get(String host, String path) throws Exception {
    return request(host, path).send();
  }

  /** A GET on a connection of its own, closed after the answer. */
  static ContentResponse closing(String host, String path) throws Exception {
    return request(host, path).headers(h -> h.put(HttpHeader.CONNECTION, "close")).send();
  }

  static JsonNode echo(ContentResponse r) throws Exception {
    assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
    return JSON.readTree(r.getContentAsString());
  }

  @Nested
  class Proxying {
    @Test
    void aRequestReachesTheAppOfItsHostWithPathAndQuery() throws Exception {
      JsonNode e = echo(get("h.test", "/some/page?x=1&y=%20"));

      assertThat(e.get("path").asText()).isEqualTo("/some/page?x=1&y=%20");
      assertThat(e.get("instance").asText()).isEqualTo(rootInstance);
      assertThat(e.get("match_path").asText()).isEmpty();
    }

    @Test
    void theHostAndTheForwardedHeadersAreSet() throws Exception {
      JsonNode headers = echo(get("h.test", "/")).get("headers");

      assertThat(headers.get("host").asText()).isEqualTo("h.test");
      assertThat(headers.get("x-forwarded-host").asText()).isEqualTo("h.test");
      assertThat(headers.get("x-forwarded-proto").asText()).isEqualTo("http");
      assertThat(headers.get("x-forwarded-for").asText()).isEqualTo("127.0.0.1");
      assertThat(headers.has("x-forwarded-prefix")).isFalse();
      assertThat(headers.get("forwarded").asText())
          .isEqualTo("by=127.0.0.1;for=127.0.0.1;host=h.test;proto=http");
      assertThat(headers.get("via").asText()).matches("1\\.1 \\S+");
    }

    @Test
    void anEarlierProxysForwardedAndViaAreKeptAndExtended() throws Exception {
      JsonNode headers =
          echo(request("h.test", "/")
                  .headers(
                      h -> h.put("Forwarded", "for=203.0.113.9;proto=https").put("Via", "1.1 edge"))
                  .send())
              .get("headers");

      assertThat(headers.get("forwarded").asText())
          .isEqualTo(
              "for=203.0.113.9;proto=https, by=127.0.0.1;for=127.0.0.1;host=h.test;proto=http");
      assertThat(headers.get("via").asText()).startsWith("1.1 edge, 1.1 ");
    }

    @Test
    void forwardedValuesThatAreNotTokensAreQuotedAndIpv6Bracketed() {
      StringBuilder b = new StringBuilder();
      ForwardedRequest.forwardedValue(b, "2001:db8::1");
      b.append(' ');
      ForwardedRequest.forwardedValue(b, "h.test:8080");
      b.append(' ');
      ForwardedRequest.forwardedValue(b, "10.0.0.1");
      assertThat(b.toString()).isEqualTo("\"[2001:db8::1]\" \"h.test:8080\" 10.0.0.1");
    }

    @Test
    void anEarlierProxysForwardedForIsKeptAndExtended() throws Exception {
      JsonNode headers =
          echo(request("h.test", "/").headers(h -> h.put("X-Forwarded-For", "203.0.113.9")).send())
              .get("headers");

      assertThat(headers.get("x-forwarded-for").asText()).isEqualTo("203.0.113.9, 127.0.0.1");
    }

    @Test
    void aLocationWithAPathGetsThePrefixStrippedAndNamed() throws Exception {
      JsonNode e = echo(get("h.test", "/blog/post/1?draft=no"));

      assertThat(e.get("instance").asText()).isEqualTo(blogInstance);
      assertThat(e.get("path").asText()).isEqualTo("/post/1?draft=no");
      assertThat(e.get("match_path").asText()).isEqualTo("/blog");
      assertThat(e.get("headers").get("x-forwarded-prefix").asText()).isEqualTo("/blog");
      assertThat(e.get("headers").get("host").asText()).isEqualTo("h.test");
    }

    @Test
    void thePrefixAloneReachesTheAppsRoot() throws Exception {
      assertThat(echo(get("h.test", "/blog")).get("path").asText()).isEqualTo("/");
      assertThat(echo(get("h.test", "/blog/")).get("path").asText()).isEqualTo("/");
    }

    @Test
    void aPathThatOnlyStartsLikeThePrefixStaysWithTheRootApp() throws Exception {
      JsonNode e = echo(get("h.test", "/blogger"));

      assertThat(e.get("instance").asText()).isEqualTo(rootInstance);
      assertThat(e.get("path").asText()).isEqualTo("/blogger");
    }

    @Test
    void internalHeadersFromOutsideNeverReachTheApp() throws Exception {
      JsonNode headers =
          echo(request("h.test", "/")
                  .headers(
                      h -> {
                        h.put("X-Silver-Internal", "update");
                        h.put("x-silver-task", "evil");
                        h.put("X-Silverware", "kept");
                      })
                  .send())
              .get("headers");

      assertThat(headers.has("x-silver-internal")).isFalse();
      assertThat(headers.has("x-silver-task")).isFalse();
      assertThat(headers.get("x-silverware").asText()).isEqualTo("kept");
    }

    @Test
    void theDashboardsSessionCookieNeverReachesTheApp() throws Exception {
      JsonNode headers =
          echo(request("h.test", "/")
                  .headers(h -> h.put("Cookie", "a=1; silver_session=SECRET; silver_session_x=2"))
                  .send())
              .get("headers");
      JsonNode alone =
          echo(request("h.test", "/").headers(h -> h.put("Cookie", "silver_session=SECRET")).send())
              .get("headers");

      assertThat(headers.get("cookie").asText()).isEqualTo("a=1; silver_session_x=2");
      assertThat(alone.has("cookie")).isFalse();
    }

    @Test
    void aSpoofedForwardedPrefixIsReplacedOrRemoved() throws Exception {
      assertThat(
              echo(request("h.test", "/").headers(h -> h.put("X-Forwarded-Prefix", "/x")).send())
                  .get("headers")
                  .has("x-forwarded-prefix"))
          .isFalse();
      assertThat(
              echo(request("h.test", "/blog/")
                      .headers(h -> h.put("X-Forwarded-Prefix", "/x"))
                      .send())
                  .get("headers")
                  .get("x-forwarded-prefix")
                  .asText())
          .isEqualTo("/blog");
    }
  }

  @Nested
  class StaticFiles {
    @Test
    void aFileInStaticIsAnsweredBeforeTheApp() throws Exception {
      ContentResponse r = get("h.test", "/hello.txt");

      assertThat(r.getStatus()).isEqualTo(200);
      assertThat(r.getContentAsString()).isEqualTo("hello from static\n");
      assertThat(r.getMediaType()).isEqualTo("text/plain");
    }

    @Test
    void staticFilesAreFoundBelowALocationsPathPrefix() throws Exception {
      ContentResponse r = get("h.test", "/blog/hello.txt");

      assertThat(r.getStatus()).isEqualTo(200);
      assertThat(r.getContentAsString()).isEqualTo("hello from static\n");
    }

    @Test
    void aFolderWithATrailingSlashIsAnsweredByItsIndexHtml() throws Exception {
      for (String path : new String[] {"/docs/", "/blog/docs/"}) {
        ContentResponse r = get("h.test", path);

        assertThat(r.getStatus()).as(path).isEqualTo(200);
        assertThat(r.getContentAsString()).as(path).isEqualTo("<h1>docs</h1>\n");
        assertThat(r.getMediaType()).as(path).isEqualTo("text/html");
      }
    }

    @Test
    void aFolderWithoutTheTrailingSlashGoesToTheApp() throws Exception {
      assertThat(echo(get("h.test", "/docs")).get("path").asText()).isEqualTo("/docs");
    }

    @Test
    void aPathNotInStaticGoesToTheApp() throws Exception {
      assertThat(echo(get("h.test", "/missing.txt")).get("path").asText())
          .isEqualTo("/missing.txt");
    }

    @Test
    void theAppsOwnFilesOutsideStaticAreNotServed() throws Exception {
      JsonNode e = echo(get("h.test", "/app.ini"));
      assertThat(e.get("path").asText()).isEqualTo("/app.ini");
      // The front answers these with 400 and closes the connection: don't let the pool reuse it.
      assertThat(closing("h.test", "/../app.ini").getStatus()).isNotEqualTo(200);
      assertThat(closing("h.test", "/%2e%2e/app.ini").getContentAsString())
          .doesNotContain("[production]");
    }
  }

  @Nested
  class FrontPages {
    @Test
    void anUnknownHostGetsTheNotFoundPage() throws Exception {
      ContentResponse r = get("nowhere.test", "/");

      assertThat(r.getStatus()).isEqualTo(404);
      assertThat(r.getMediaType()).isEqualTo("text/html");
      assertThat(r.getContentAsString()).contains("No application is deployed at nowhere.test");
    }

    @Test
    void theNotFoundPageEscapesTheHostItNames() throws Exception {
      ContentResponse r = get("<script>x", "/");

      assertThat(r.getStatus()).isIn(400, 404);
      assertThat(r.getContentAsString()).doesNotContain("<script>");
    }

    @Test
    void aDisabledAppGetsAnUncachedServiceUnavailablePage() throws Exception {
      ContentResponse r = get("down.test", "/");

      assertThat(r.getStatus()).isEqualTo(503);
      assertThat(r.getHeaders().get(HttpHeader.CACHE_CONTROL)).isEqualTo("no-store");
      assertThat(r.getContentAsString()).contains("disabled for maintenance");
    }

    @Test
    void prevDotHostWithoutAPreviousInstanceIsNotFound() throws Exception {
      assertThat(get("prev.h.test", "/").getStatus()).isEqualTo(404);
    }
  }

  @Nested
  class Streaming {
    @Test
    void aLargeRequestBodyStreamsThroughToTheApp() throws Exception {
      long size = 200L * 1024 * 1024;
      ContentResponse r =
          request("h.test", "/upload")
              .method(HttpMethod.POST)
              .body(
                  new InputStreamRequestContent(
                      "application/octet-stream",
                      zeros(size),
                      new ByteBufferPool.Sized(null, false, 1 << 16)))
              .timeout(60, TimeUnit.SECONDS)
              .send();

      JsonNode e = echo(r);
      assertThat(e.get("bytes").asLong()).isEqualTo(size);
      assertThat(e.get("path").asText()).isEqualTo("/upload");
    }

    @Test
    void aLargeChunkedResponseStreamsBackWhole() throws Exception {
      long size = 50L * 1024 * 1024 + 7;
      InputStreamResponseListener listener = new InputStreamResponseListener();
      request("h.test", "/big?" + size).send(listener);
      Response response = listener.get(20, TimeUnit.SECONDS);

      assertThat(response.getStatus()).isEqualTo(200);
      assertThat(response.getHeaders().get(HttpHeader.CONTENT_LENGTH)).isNull();
      long total = 0;
      try (InputStream in = listener.getInputStream()) {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) >= 0) {
          total += n;
        }
      }
      assertThat(total).isEqualTo(size);
    }

    @Test
    void theFirstBytesOfAResponseArriveBeforeTheAppHasFinished() throws Exception {
      InputStreamResponseListener listener = new InputStreamResponseListener();
      request("h.test", "/slow").send(listener);
      listener.get(20, TimeUnit.SECONDS);
      try (InputStream in = listener.getInputStream()) {
        // Not readNBytes: it ends with a read of length 0, which this stream answers only later.
        byte[] first = new byte[6];
        new java.io.DataInputStream(in).readFully(first);
        // The app sends the rest only once asked to, after the first bytes came through.
        assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("first\n");
        assertThat(get("h.test", "/release").getStatus()).isEqualTo(200);
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("last\n");
      }
    }
  }

  /** {@code size} zero bytes, made as they are read. */
  private static InputStream zeros(long size) {
    return new InputStream() {
      long left = size;

      @Override
      public int read() {
        if (left == 0) {
          return -1;
        }
        left--;
        return 0;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left == 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        java.util.Arrays.fill(b, off, off + n, (byte) 0);
        left -= n;
        return n;
      }
    };
  }
}

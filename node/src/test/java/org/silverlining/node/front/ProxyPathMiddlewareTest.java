package org.silverlining.node.front;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.Node;
import org.silverlining.node.TestApps;
import org.silverlining.node.admin.Tokens;

/**
 * Middleware on the front's byte-level path: a location's packs are asked there as on the full
 * server's path, their headers put on the app's answer, their refusals answered and logged, and the
 * connection kept for the next request. The app is {@link ProxyPathTest}'s raw-socket one, which
 * sends no {@code Date}; the full server's path adds one, so its absence shows which path answered.
 */
class ProxyPathMiddlewareTest {
  @TempDir static Path dir;
  static Node node;

  @BeforeAll
  static void deploy() throws Exception {
    node = TestApps.startNode(dir.resolve("node"));
    for (String name : new String[] {"open", "closed"}) {
      Path app =
          TestApps.write(
              dir.resolve(name),
              Map.of(
                  "app.py",
                  ProxyPathTest.RAW_PY,
                  "app.ini",
                  TestApps.commandIni(name, "python3 app.py", "")));
      TestApps.deploy(node, name, name + ".test", TestApps.pack(app));
    }
    String token = new Tokens(node.layout().tokensFile()).create("ann");
    apply(
        token,
        "open.test",
        "headers",
        "{\"csp\": \"default-src 'self'\", \"header.X-Extra\": \"1\"}");
    apply(token, "closed.test", "headers", "{\"frame\": \"DENY\"}");
    apply(token, "closed.test", "allow", "{\"from\": \"10.0.0.0/8\"}");
  }

  private static void apply(String token, String location, String pack, String settings)
      throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + node.adminPort()
                                + "/api/v1/middleware/apply?location="
                                + location
                                + "&pack="
                                + pack))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(settings))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  private static Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", node.httpPort());
    s.setSoTimeout(30_000);
    return s;
  }

  private static void send(Socket s, String request) throws IOException {
    s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void aHeadersPacksHeadersGoOnTheAppsAnswerOnTheByteLevelPath() throws Exception {
    try (Socket s = connect()) {
      send(s, "GET /a?q=1 HTTP/1.1\r\nHost: open.test\r\n\r\n");
      String answer = ProxyPathTest.readAnswer(s.getInputStream());
      assertThat(answer)
          .startsWith("HTTP/1.1 200")
          .contains("\r\nContent-Security-Policy: default-src 'self'\r\n")
          .contains("\r\nX-Extra: 1\r\n")
          .doesNotContainIgnoringCase("\r\nDate:")
          .endsWith("/a?q=1 0");
      // the same through the full server (which takes HTTP/1.0 requests): one Date
      send(s, "GET /a?q=1 HTTP/1.0\r\nHost: open.test\r\n\r\n");
      assertThat(ProxyPathTest.readAnswer(s.getInputStream()))
          .contains("\r\nContent-Security-Policy: default-src 'self'\r\n")
          .containsIgnoringCase("\r\nDate:")
          .endsWith("/a?q=1 0");
    }
  }

  @Test
  void aRefusalIsAnsweredLoggedAndTheConnectionGoesOn() throws Exception {
    try (Socket s = connect()) {
      send(
          s,
          "GET /secret HTTP/1.1\r\nHost: closed.test\r\n\r\n"
              + "GET /other HTTP/1.1\r\nHost: open.test\r\n\r\n");
      InputStream in = s.getInputStream();
      assertThat(ProxyPathTest.readAnswer(in))
          .startsWith("HTTP/1.1 403 Forbidden\r\n")
          .contains("\r\nX-Frame-Options: DENY\r\n")
          .contains("\r\nContent-Type: text/plain; charset=utf-8\r\n")
          .doesNotContainIgnoringCase("\r\nDate:")
          .endsWith("this site does not take requests from your address.\n");
      assertThat(ProxyPathTest.readAnswer(in)).startsWith("HTTP/1.1 200").endsWith("/other 0");
    }
    String logged = "";
    for (int i = 0; i < 100 && !logged.contains("/secret"); i++) {
      Thread.sleep(50);
      Path log = node.layout().securityLog();
      logged = Files.exists(log) ? Files.readString(log) : "";
    }
    assertThat(logged).contains("/secret").contains("allow pack: not in 10.0.0.0/8");
  }

  @Test
  void aRefusedRequestWithABodyIsAnsweredAndTheConnectionClosed() throws Exception {
    try (Socket s = connect()) {
      send(s, "POST /up HTTP/1.1\r\nHost: closed.test\r\nContent-Length: 5\r\n\r\nhello");
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(all).startsWith("HTTP/1.1 403 ").contains("\r\nConnection: close\r\n");
    }
  }
}

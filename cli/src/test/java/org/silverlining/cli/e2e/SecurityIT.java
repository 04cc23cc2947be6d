package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security log through a real node: every kind of event the front and the management API
 * record, each from a client address of its own (127.0.0.x), the allowlist, a ban and its end,
 * {@code .asis} files, and a node that refuses to start with a bad {@code [security]} value.
 */
class SecurityIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HOST = "sec.test";

  @TempDir static Path dir;
  static TestNode node;

  @BeforeAll
  static void startANodeWithAnAllowlistAndBans() throws Exception {
    node = TestNode.create(dir);
    Files.writeString(
        node.root().resolve("node.ini"),
        "\n[security]\nallow = 127.0.0.2\nban_after = 4/1h\nban_for = 10s\nprobes = /secret-backup.zip\n",
        java.nio.file.StandardOpenOption.APPEND);
    node.startProcess();
    Path app = node.copyExample("hello-python");
    Files.createDirectories(app.resolve("static"));
    Files.writeString(
        app.resolve("static/moved.asis"),
        "Status: 301 Moved Permanently\nLocation: /elsewhere\nX-Asis: yes\n\nmoved\n");
    Files.writeString(app.resolve("static/teapot.asis"), "Status: 418 I'm a teapot\r\n\r\n");
    Files.writeString(app.resolve("static/broken.asis"), "Status: 301 Moved\nno colon here\n\nx");
    node.update(app, HOST);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  /** Sends {@code request} as it is from {@code from}; the answer's head and body. */
  static String raw(String from, int port, String request) throws Exception {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      s.setSoTimeout(30_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        String text = out.toString(StandardCharsets.ISO_8859_1);
        int blank = text.indexOf("\r\n\r\n");
        if (blank >= 0 && complete(text, blank)) {
          return text;
        }
      }
      return out.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private static boolean complete(String text, int blank) {
    for (String line : text.substring(0, blank).split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        return text.length() - blank - 4 >= Integer.parseInt(line.substring(15).strip());
      }
    }
    return false; // without a length the node closes the connection
  }

  static String get(String from, String path) throws Exception {
    return raw(
        from,
        node.httpPort(),
        "GET " + path + " HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n");
  }

  static int status(String answer) {
    return Integer.parseInt(answer.substring(9, 12));
  }

  static List<JsonNode> events() throws Exception {
    TestNode.Result r = node.silver("security", "--json", "--since", "1h");
    assertThat(r.exitCode()).as(r.output()).isZero();
    List<JsonNode> events = new ArrayList<>();
    JSON.readTree(r.stdout()).path("events").forEach(events::add);
    return events;
  }

  static JsonNode awaitEvent(Predicate<JsonNode> which) {
    JsonNode[] found = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              for (JsonNode e : events()) {
                if (which.test(e)) {
                  found[0] = e;
                  return true;
                }
              }
              return false;
            });
    return found[0];
  }

  static Predicate<JsonNode> of(String client, String kind) {
    return e -> e.path("client").asText().equals(client) && e.path("kind").asText().equals(kind);
  }

  @Test
  void probesTheAppDoesNotServeAreRecordedWithTheirClient() throws Exception {
    assertThat(status(get("127.0.0.10", "/.env"))).isEqualTo(404); // the app's 404
    assertThat(status(get("127.0.0.10", "/secret-backup.zip"))).isEqualTo(404);
    assertThat(status(get("127.0.0.10", "/"))).isEqualTo(200);
    String unknownHost =
        raw(
            "127.0.0.10",
            node.httpPort(),
            "GET /.git/config HTTP/1.1\r\nHost: nobody.test\r\nConnection: close\r\n\r\n");
    assertThat(status(unknownHost)).isEqualTo(404); // the front's own 404

    JsonNode env =
        awaitEvent(of("127.0.0.10", "probe").and(e -> e.path("target").asText().equals("/.env")));
    assertThat(env.path("method").asText()).isEqualTo("GET");
    assertThat(env.path("allowed").asBoolean()).isFalse();
    awaitEvent(
        of("127.0.0.10", "probe").and(e -> e.path("target").asText().equals("/.git/config")));
    awaitEvent(
        of("127.0.0.10", "probe").and(e -> e.path("target").asText().equals("/secret-backup.zip")));
    assertThat(events()).filteredOn(of("127.0.0.10", "probe")).hasSize(3);
  }

  @Test
  void traversalPlainAndEncodedIsRecordedWhereverItIsRefused() throws Exception {
    assertThat(status(get("127.0.0.11", "/../../etc/passwd"))).isEqualTo(400);
    assertThat(status(get("127.0.0.11", "/a/%2e%2e/%2e%2e/etc/passwd"))).isEqualTo(400);
    assertThat(status(get("127.0.0.12", "/static/..%2f..%2fetc/passwd"))).isEqualTo(400);
    // stays below the root: passed on (the app answers as it does), and recorded
    assertThat(status(get("127.0.0.13", "/x/../ping"))).isNotEqualTo(400);

    awaitEvent(
        of("127.0.0.13", "traversal").and(e -> e.path("target").asText().equals("/x/../ping")));
    awaitEvent(
        of("127.0.0.12", "traversal")
            .and(e -> e.path("target").asText().equals("/static/..%2f..%2fetc/passwd")));
    await().until(() -> events().stream().filter(of("127.0.0.11", "traversal")).count() == 2);
  }

  @Test
  void malformedAndSmugglingRequestsAreRecordedOnBothPathsOfTheFront() throws Exception {
    int port = node.httpPort();
    String badHeader = "GET / HTTP/1.1\r\nHost: " + HOST + "\r\nBad Header: 1\r\n\r\n";
    assertThat(status(raw("127.0.0.14", port, badHeader))).isEqualTo(400);
    String http10 = "GET / HTTP/1.0\r\nHost: " + HOST + "\r\nBad Header: 1\r\n\r\n";
    assertThat(status(raw("127.0.0.14", port, http10))).isEqualTo(400); // Jetty's parser
    String huge =
        "GET / HTTP/1.1\r\nHost: " + HOST + "\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n";
    assertThat(status(raw("127.0.0.15", port, huge))).isEqualTo(431);
    String smuggle =
        "POST / HTTP/1.1\r\nHost: "
            + HOST
            + "\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    assertThat(status(raw("127.0.0.16", port, smuggle))).isEqualTo(400);
    String twoLengths =
        "POST / HTTP/1.0\r\nHost: " + HOST + "\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab";
    assertThat(status(raw("127.0.0.17", port, twoLengths))).isEqualTo(400); // Jetty's parser

    await().until(() -> events().stream().filter(of("127.0.0.14", "malformed")).count() == 2);
    assertThat(awaitEvent(of("127.0.0.15", "malformed")).path("detail").asText()).contains("431");
    assertThat(awaitEvent(of("127.0.0.16", "smuggling")).path("target").asText()).isEqualTo("/");
    assertThat(awaitEvent(of("127.0.0.17", "smuggling")).path("detail").asText())
        .contains("Content-Length");
  }

  @Test
  void aWrongAdminTokenIsRecordedAndNeverTheTokenItself() throws Exception {
    String wrong = "not-the-token-0123456789";
    String answer =
        raw(
            "127.0.0.18",
            node.adminPort(),
            "GET /api/v1/apps?x=1 HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer "
                + wrong
                + "\r\nConnection: close\r\n\r\n");
    assertThat(status(answer)).isEqualTo(401);
    String none =
        raw(
            "127.0.0.19",
            node.adminPort(),
            "GET /api/v1/apps HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertThat(status(none)).isEqualTo(401);

    JsonNode e = awaitEvent(of("127.0.0.18", "bad-token"));
    assertThat(e.path("target").asText()).isEqualTo("/api/v1/apps");
    assertThat(events()).noneMatch(of("127.0.0.19", "bad-token")); // no token: not an attempt
    String log = Files.readString(node.root().resolve("logs/security.log"));
    assertThat(log).doesNotContain(wrong).doesNotContain(node.token());
  }

  @Test
  void allowlistedClientsAreRecordedAsAllowedAndNeverBanned() throws Exception {
    for (int i = 0; i < 8; i++) {
      assertThat(status(get("127.0.0.2", "/.env"))).isEqualTo(404);
    }
    await().until(() -> events().stream().filter(of("127.0.0.2", "probe")).count() == 8);
    assertThat(events())
        .filteredOn(of("127.0.0.2", "probe"))
        .allMatch(e -> e.path("allowed").asBoolean());
    assertThat(events()).noneMatch(of("127.0.0.2", "ban"));
    assertThat(status(get("127.0.0.2", "/"))).isEqualTo(200);
  }

  @Test
  void aClientWithBanAfterEventsIsRefusedUntilTheBanEnds() throws Exception {
    for (int i = 0; i < 4; i++) {
      assertThat(status(get("127.0.0.20", "/wp-login.php"))).isEqualTo(404);
    }
    // A probe is counted once its answer is sent, so the ban is in force once it is logged (a
    // request racing the fourth answer may still pass); 10 s leaves the checks time under load.
    JsonNode ban = awaitEvent(of("127.0.0.20", "ban"));
    assertThat(ban.path("detail").asText()).isEqualTo("4 events within 1h: refused for 10s");
    // banned on both paths of the front: the byte-level proxy hands the request to the full server
    String refused = get("127.0.0.20", "/");
    assertThat(status(refused)).isEqualTo(403);
    assertThat(refused).contains("too many suspicious requests");
    assertThat(status(get("127.0.0.21", "/"))).isEqualTo(200); // others are served

    awaitEvent(of("127.0.0.20", "banned").and(e -> e.path("target").asText().equals("/")));
    assertThat(node.log()).contains("client 127.0.0.20 banned");

    // the ban ends by itself: the positive signal is the app's own answer again
    await().atMost(Duration.ofSeconds(60)).until(() -> status(get("127.0.0.20", "/")) == 200);

    TestNode.Result table = node.silver("security", "--since", "1h");
    assertThat(table.exitCode()).isZero();
    assertThat(table.stdout()).contains("CLIENT").containsPattern("127\\.0\\.0\\.20 +probe +4 +no");
  }

  @Test
  void asisFilesAreServedAsTheirOwnStatusHeadersAndBody() throws Exception {
    String moved = get("127.0.0.30", "/moved");
    assertThat(moved).startsWith("HTTP/1.1 301 ");
    assertThat(moved).containsIgnoringCase("\r\nLocation: /elsewhere\r\n");
    assertThat(moved).containsIgnoringCase("\r\nX-Asis: yes\r\n");
    assertThat(moved).endsWith("\r\n\r\nmoved\n");
    assertThat(status(get("127.0.0.30", "/teapot"))).isEqualTo(418);
    // the file itself is not served as it is
    assertThat(get("127.0.0.30", "/moved.asis")).doesNotContain("X-Asis");

    assertThat(status(get("127.0.0.30", "/broken"))).isEqualTo(500);
    await()
        .until(
            () -> Files.readString(node.root().resolve("logs/node.log")).contains("broken.asis"));
    assertThat(Files.readString(node.root().resolve("logs/node.log")))
        .contains("broken.asis: a malformed .asis file, answered 500: line 2 is not a header");
  }

  @Test
  void aBadSecurityValueStopsTheNodeNamingTheKeyAndTheFile(@TempDir Path other) throws Exception {
    TestNode bad = TestNode.create(other);
    Path ini = bad.root().resolve("node.ini");
    Files.writeString(
        ini, "\n[security]\nban_after = 20 per minute\n", java.nio.file.StandardOpenOption.APPEND);
    TestNode.Result r = bad.run(bad.startCommand().subList(1, bad.startCommand().size()), null);
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.output())
        .contains("node.ini:")
        .contains("[security] ban_after: '20 per minute' is not a count of events")
        .doesNotContain("Exception");
    assertThat(bad.root().resolve("state.db")).doesNotExist();
  }
}

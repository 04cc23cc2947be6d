package org.silverlining.node.front;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.Node;
import org.silverlining.node.TestApps;

/**
 * An app's answers to clients that accept gzip, on the byte-level path, against the same answers
 * through the full server's path (a target with {@code %2E} takes that one): the same decision to
 * compress, the same {@code Content-Encoding}, {@code Vary}, {@code ETag} and body once decoded. A
 * conditional request that may be compressed is the full server's on both.
 */
class ProxyPathCompressionTest {
  /** An app answering each path its own way (any {@code %2E} in the path read as a dot). */
  static final String APP_PY =
      """
      import os, socket, threading, urllib.parse

      TEXT = b"<p>compress me, I am long enough</p>\\n" * 40
      LARGE = b"".join(b"<li>line %d of a long page</li>\\n" % i for i in range(20000))

      def answer(path, headers):
          inm = headers.get("if-none-match")
          if path == "/page.html":
              return b"200 OK", [b"Content-Type: text/html; charset=utf-8"], TEXT, False
          if path == "/chunked.html":
              return b"200 OK", [b"Content-Type: text/html"], TEXT, True
          if path == "/tiny.html":
              return b"200 OK", [b"Content-Type: text/html"], b"<p>small</p>", False
          if path == "/image.png":
              return b"200 OK", [b"Content-Type: image/png"], TEXT, False
          if path == "/own.js":
              return b"200 OK", [b"Content-Type: text/javascript", b"Content-Encoding: br"], TEXT, False
          if path == "/varied.json":
              return b"200 OK", [b"Content-Type: application/json", b"Vary: Origin"], TEXT, False
          if path == "/tagged.html":
              if inm == '"v1"':
                  return b"304 Not Modified", [b'ETag: "v1"'], b"", False
              return b"200 OK", [b"Content-Type: text/html", b'ETag: "v1"'], TEXT, False
          if path == "/moved.html":
              return b"301 Moved Permanently", [b"Content-Type: text/html", b"Location: /page.html"], TEXT, False
          if path == "/missing-page.html":
              return b"404 Not Found", [b"Content-Type: text/html"], TEXT, False
          if path == "/large.html":
              return b"200 OK", [b"Content-Type: text/html"], LARGE, False
          if path == "/large-chunked.html":
              return b"200 OK", [b"Content-Type: text/html"], LARGE, True
          if path == "/empty.txt":
              return b"204 No Content", [], b"", False
          return b"404 Not Found", [b"Content-Type: text/plain"], b"no " + path.encode(), False

      def serve(c):
          f = c.makefile("rb")
          try:
              while True:
                  line = f.readline()
                  if not line:
                      break
                  headers = {}
                  while True:
                      h = f.readline()
                      if h in (b"\\r\\n", b"\\n", b""):
                          break
                      k, _, v = h.decode("latin-1").partition(":")
                      headers[k.strip().lower()] = v.strip()
                  method = line.split()[0]
                  path = urllib.parse.unquote(line.split()[1].decode())
                  if path == "/until-close.html":
                      c.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Type: text/html\\r\\nConnection: close\\r\\n\\r\\n" + LARGE)
                      break
                  if path == "/cut.html":
                      c.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Type: text/html\\r\\nContent-Length: 100000\\r\\n\\r\\n" + TEXT)
                      break
                  status, more, body, chunked = answer(path, headers)
                  head = b"HTTP/1.1 " + status + b"\\r\\n" + b"".join(m + b"\\r\\n" for m in more)
                  if method == b"HEAD" or status.startswith(b"204") or status.startswith(b"304"):
                      c.sendall(head + b"\\r\\n")
                  elif chunked:
                      half = len(body) // 2
                      c.sendall(head + b"Transfer-Encoding: chunked\\r\\n\\r\\n"
                                + b"%x\\r\\n" % half + body[:half] + b"\\r\\n"
                                + b"%x\\r\\n" % (len(body) - half) + body[half:] + b"\\r\\n0\\r\\n\\r\\n")
                  else:
                      c.sendall(head + b"Content-Length: %d\\r\\n\\r\\n" % len(body) + body)
          except OSError:
              pass
          c.close()

      s = socket.socket()
      s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
      s.bind(("127.0.0.1", int(os.environ["PORT"])))
      s.listen(128)
      while True:
          c, _ = s.accept()
          threading.Thread(target=serve, args=(c,), daemon=True).start()
      """;

  @TempDir static Path dir;
  static Node node;

  @BeforeAll
  static void deploy() throws Exception {
    node = TestApps.startNode(dir.resolve("node"));
    Path app =
        TestApps.write(
            dir.resolve("zip"),
            Map.of("app.py", APP_PY, "app.ini", TestApps.commandIni("zip", "python3 app.py", "")));
    TestApps.deploy(node, "zip", "zip.test", TestApps.pack(app));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  /** An answer read off the wire: its status line, headers (names in lower case) and body. */
  record Answer(
      String status,
      Map<String, List<String>> headers,
      byte[] body,
      boolean head,
      boolean complete) {
    String header(String name) {
      List<String> v = headers.get(name);
      return v == null ? null : String.join(", ", v);
    }

    /** The body as the client means it: decoded when gzipped. */
    String text() throws IOException {
      if ("gzip".equals(header("content-encoding"))) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
          return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
      }
      return new String(body, StandardCharsets.ISO_8859_1);
    }

    /** Whether the full server sent it: it adds a Date header, the app here sends none. */
    boolean fromFullServer() {
      return headers.containsKey("date");
    }
  }

  static Answer ask(String method, String target, String... headers) throws IOException {
    try (Socket s = new Socket("127.0.0.1", node.httpPort())) {
      s.setSoTimeout(30_000);
      String request =
          method
              + " "
              + target
              + " HTTP/1.1\r\nHost: zip.test\r\n"
              + String.join("", headers)
              + "Connection: close\r\n\r\n";
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return read(s.getInputStream(), method.equals("HEAD"));
    }
  }

  private static Answer read(InputStream in, boolean head) throws IOException {
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    while (!h.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("closed in the head: " + h);
      }
      h.write(c);
    }
    String[] lines = h.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers
          .computeIfAbsent(
              lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).strip());
    }
    byte[] body = in.readAllBytes();
    List<String> te = headers.get("transfer-encoding");
    boolean complete = true;
    if (!head && te != null && te.contains("chunked")) {
      complete = new String(body, StandardCharsets.ISO_8859_1).endsWith("\r\n0\r\n\r\n");
      body = complete ? unchunk(body) : body;
    }
    return new Answer(lines[0], headers, body, head, complete);
  }

  private static byte[] unchunk(byte[] chunked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (true) {
      int eol = i;
      while (chunked[eol] != '\r') {
        eol++;
      }
      String size = new String(chunked, i, eol - i, StandardCharsets.ISO_8859_1);
      int semi = size.indexOf(';');
      int n = Integer.parseInt(semi < 0 ? size : size.substring(0, semi), 16);
      if (n == 0) {
        return out.toByteArray();
      }
      out.write(chunked, eol + 2, n);
      i = eol + 2 + n + 2;
    }
  }

  /** The same request on both paths; {@code path} has a dot, spelled %2E for the full server. */
  static Answer[] both(String method, String path, String... headers) throws IOException {
    Answer fast = ask(method, path, headers);
    Answer full = ask(method, path.replace(".", "%2E"), headers);
    assertThat(full.fromFullServer()).as("the full server's answer to " + path).isTrue();
    boolean conditional = String.join("", headers).contains("If-");
    assertThat(fast.fromFullServer())
        .as("the fast path's answer to " + path)
        .isEqualTo(conditional);
    return new Answer[] {fast, full};
  }

  private static void assertAlike(Answer[] a) throws IOException {
    Answer fast = a[0];
    Answer full = a[1];
    assertThat(fast.status()).isEqualTo(full.status());
    for (String name : List.of("content-encoding", "vary", "etag", "content-type")) {
      assertThat(fast.header(name)).as(name).isEqualTo(full.header(name));
    }
    assertThat(fast.text()).isEqualTo(full.text());
    if (!fast.head()) { // the full server's proxy says Content-Length: 0 to a HEAD request
      assertThat(fast.headers().containsKey("content-length"))
          .as("content-length")
          .isEqualTo(full.headers().containsKey("content-length"));
    }
  }

  static final String GZIP = "Accept-Encoding: gzip, deflate, br, zstd\r\n";

  @Test
  void aTextAnswerIsGzippedAsTheFullServerDoes() throws Exception {
    Answer[] a = both("GET", "/page.html", GZIP);
    assertAlike(a);
    assertThat(a[0].header("content-encoding")).isEqualTo("gzip");
  }

  @Test
  void aChunkedTextAnswerIsGzippedAsTheFullServerDoes() throws Exception {
    Answer[] a = both("GET", "/chunked.html", GZIP);
    assertAlike(a);
    assertThat(a[0].header("content-encoding")).isEqualTo("gzip");
  }

  @Test
  void answersNotWorthCompressingAreSentAsTheyCame() throws Exception {
    for (String path :
        List.of("/tiny.html", "/image.png", "/own.js", "/empty.txt", "/missing.txt")) {
      assertAlike(both("GET", path, GZIP));
    }
    assertAlike(both("HEAD", "/page.html", GZIP));
    assertAlike(both("GET", "/page.html", "Accept-Encoding: gzip;q=0, identity\r\n"));
    assertAlike(both("GET", "/page.html", "Accept-Encoding: br\r\n"));
    assertAlike(both("GET", "/page.html"));
  }

  @Test
  void otherStatusesAndEncodingsAreAsTheFullServersToo() throws Exception {
    assertAlike(both("GET", "/moved.html", GZIP));
    assertAlike(both("GET", "/missing-page.html", GZIP));
    assertAlike(both("POST", "/page.html", GZIP, "Content-Length: 0\r\n"));
    assertAlike(both("GET", "/page.html", "Accept-Encoding: *\r\n"));
    assertAlike(both("GET", "/page.html", "Accept-Encoding: GZip\r\n"));
  }

  @Test
  void largeAnswersAreGzippedWholeHoweverTheAppFramesThem() throws Exception {
    for (String path : List.of("/large.html", "/large-chunked.html", "/until-close.html")) {
      Answer[] a = both("GET", path, GZIP);
      assertAlike(a);
      assertThat(a[0].text()).as(path).hasSize(LARGE_LENGTH);
      assertThat(a[0].body().length).as(path).isLessThan(LARGE_LENGTH / 4);
    }
  }

  /** The length of the app's LARGE. */
  static final int LARGE_LENGTH = largeLength();

  private static int largeLength() {
    int n = 0;
    for (int i = 0; i < 20000; i++) {
      n += ("<li>line " + i + " of a long page</li>\n").length();
    }
    return n;
  }

  @Test
  void anAppClosingInTheMiddleOfACompressedAnswerLeavesItUnfinished() throws Exception {
    Answer cut = ask("GET", "/cut.html", GZIP);
    assertThat(cut.fromFullServer()).isFalse();
    assertThat(cut.header("content-encoding")).isEqualTo("gzip");
    assertThat(cut.complete()).isFalse(); // no last chunk: the client knows it is short
  }

  @Test
  void theAppsVaryIsKeptBesideAcceptEncoding() throws Exception {
    assertAlike(both("GET", "/varied.json", GZIP));
  }

  @Test
  void aCompressedAnswersEtagAndItsRevalidationAreTheFullServers() throws Exception {
    Answer[] a = both("GET", "/tagged.html", GZIP);
    assertAlike(a);
    String etag = a[0].header("etag");
    assertAlike(both("GET", "/tagged.html", GZIP, "If-None-Match: " + etag + "\r\n"));
  }
}

package org.silverlining.node.front;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.Node;
import org.silverlining.node.TestApps;

/**
 * The front's byte-level proxy path against what clients and apps do wrong or unusually: pipelined
 * requests, smuggling attempts, huge heads, thousands of slow clients, an app that closes in the
 * middle of an answer, a client that goes away in the middle of an upload. Raw sockets on both
 * sides, so that nothing is smoothed over by an HTTP library.
 */
class ProxyPathTest {
  /**
   * An app on raw sockets: answers {@code PATH BODYLENGTH} to any request; {@code /cut} promises
   * 100,000 bytes and closes after 1,000; {@code /drop} closes without answering.
   */
  static final String RAW_PY =
      """
      import os, socket, threading

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
                  path = line.split()[1].decode()
                  if path == "/cut":
                      c.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Length: 100000\\r\\n\\r\\n" + b"x" * 1000)
                      break
                  if path == "/drop":
                      break
                  n = int(headers.get("content-length", "0"))
                  body = f.read(n) if n else b""
                  out = ("%s %d" % (path, len(body))).encode()
                  c.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Length: %d\\r\\n\\r\\n" % len(out) + out)
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
            dir.resolve("raw"),
            Map.of("app.py", RAW_PY, "app.ini", TestApps.commandIni("raw", "python3 app.py", "")));
    TestApps.deploy(node, "raw", "raw.test", TestApps.pack(app));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  static Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", node.httpPort());
    s.setSoTimeout(30_000);
    return s;
  }

  /** Sends {@code request} on a new connection and reads until the front closes it. */
  static String exchange(String request) throws IOException {
    try (Socket s = connect()) {
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /** Reads one answer with a Content-Length body. */
  static String readAnswer(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("closed in the head: " + head);
      }
      head.write(c);
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : h.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    return h + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }

  static String get(String path) throws IOException {
    try (Socket s = connect()) {
      s.getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: raw.test\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      return readAnswer(s.getInputStream());
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
    try (Socket s = connect()) {
      s.getOutputStream()
          .write(
              ("GET /a HTTP/1.1\r\nHost: raw.test\r\n\r\n"
                      + "POST /b HTTP/1.1\r\nHost: raw.test\r\nContent-Length: 5\r\n\r\nhello"
                      + "GET /c HTTP/1.1\r\nHost: raw.test\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = s.getInputStream();
      assertThat(readAnswer(in)).startsWith("HTTP/1.1 200").endsWith("\r\n\r\n/a 0");
      assertThat(readAnswer(in)).startsWith("HTTP/1.1 200").endsWith("\r\n\r\n/b 5");
      assertThat(readAnswer(in)).startsWith("HTTP/1.1 200").endsWith("\r\n\r\n/c 0");
    }
  }

  @Test
  void contentLengthWithTransferEncodingIsRefused() throws Exception {
    assertThat(
            exchange(
                "POST / HTTP/1.1\r\nHost: raw.test\r\nContent-Length: 5\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ")
        .doesNotContain("/smuggled");
  }

  @Test
  void twoContentLengthsAreRefused() throws Exception {
    assertThat(
            exchange(
                "POST / HTTP/1.1\r\nHost: raw.test\r\nContent-Length: 5\r\n"
                    + "Content-Length: 0\r\n\r\nhello"))
        .startsWith("HTTP/1.1 400 ");
  }

  @Test
  void aFoldedHeaderLineIsRefused() throws Exception {
    assertThat(
            exchange(
                "GET / HTTP/1.1\r\nHost: raw.test\r\nX-Note: one\r\n two\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ");
  }

  @Test
  void aSpaceBeforeTheColonIsRefused() throws Exception {
    assertThat(exchange("GET / HTTP/1.1\r\nHost: raw.test\r\nContent-Length : 0\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ");
  }

  @Test
  void aHugeHeadIsAnswered431() throws Exception {
    assertThat(
            exchange(
                "GET / HTTP/1.1\r\nHost: raw.test\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n"))
        .startsWith("HTTP/1.1 431 ");
  }

  @Test
  void thousandsOfSlowClientsDoNotKeepOthersWaiting() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 4000; i++) {
        Socket s = connect();
        slow.add(s);
        // a head that never ends
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: raw.test\r\nX-Wait: ".getBytes());
      }
      for (int i = 0; i < 20; i++) {
        assertThat(get("/served-" + i)).startsWith("HTTP/1.1 200").endsWith("/served-" + i + " 0");
      }
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  @Test
  void anAppClosingInTheMiddleOfAnAnswerEndsTheClientsConnection() throws Exception {
    try (Socket s = connect()) {
      s.getOutputStream().write("GET /cut HTTP/1.1\r\nHost: raw.test\r\n\r\n".getBytes());
      byte[] all = s.getInputStream().readAllBytes(); // ends: the front closes, no hang
      String text = new String(all, StandardCharsets.ISO_8859_1);
      assertThat(text).startsWith("HTTP/1.1 200").contains("Content-Length: 100000");
      assertThat(text.length() - text.indexOf("\r\n\r\n") - 4).isLessThan(100_000);
    }
    assertThat(get("/after-cut")).endsWith("/after-cut 0");
  }

  @Test
  void anAppClosingWithoutAnAnswerIs502() throws Exception {
    assertThat(get("/drop")).startsWith("HTTP/1.1 502 ");
    assertThat(get("/after-drop")).endsWith("/after-drop 0");
  }

  @Test
  void aClientGoingAwayInTheMiddleOfAnUploadIsLoggedAndForgotten() throws Exception {
    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      out.write(
          "POST /abandoned HTTP/1.1\r\nHost: raw.test\r\nContent-Length: 1000000\r\n\r\n"
              .getBytes());
      out.write(new byte[1000]);
      out.flush();
    }
    Path log = node.layout().accessLog();
    String line = "";
    for (int i = 0; i < 200 && line.isEmpty(); i++) {
      Thread.sleep(50);
      line =
          Files.exists(log)
              ? Files.readAllLines(log).stream()
                  .filter(l -> l.contains("POST /abandoned"))
                  .findFirst()
                  .orElse("")
              : "";
    }
    assertThat(line).contains("\" 499 ").contains("raw.test");
    assertThat(get("/after-upload")).endsWith("/after-upload 0");
  }
}

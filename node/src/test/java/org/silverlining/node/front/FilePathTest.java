package org.silverlining.node.front;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.Node;
import org.silverlining.node.TestApps;

/**
 * Static files on the front's byte-level path: a small file from memory, a large one with sendfile,
 * a range of it, a 304, pipelined requests, a file that changes between two requests, and the
 * precompressed copies a browser's {@code Accept-Encoding} asks for. Raw sockets, so that the bytes
 * are seen as sent. (StaticContentTest covers the rules themselves.)
 */
class FilePathTest {
  @TempDir static Path dir;
  static Node node;
  static byte[] large;
  static final String CSS = "body { color: black; }\n".repeat(40);
  static byte[] cssGz;
  static final byte[] CSS_BR = "stands for brotli bytes".getBytes(StandardCharsets.US_ASCII);

  @BeforeAll
  static void deploy() throws Exception {
    node = TestApps.startNode(dir.resolve("node"));
    StringBuilder text = new StringBuilder();
    for (int i = 0; text.length() < 300_000; i++) {
      text.append("line ").append(i).append('\n');
    }
    large = text.toString().getBytes(StandardCharsets.US_ASCII);
    Path app =
        TestApps.write(
            dir.resolve("site"),
            Map.of(
                "app.ini",
                "[production]\napp_name = site\nruntime = static\n",
                "small.txt",
                "small file\n",
                "changing.txt",
                "first\n"));
    Files.write(app.resolve("large.bin"), large);
    Files.writeString(app.resolve("style.css"), CSS);
    cssGz = gzip(CSS);
    Files.write(app.resolve("style.css.gz"), cssGz);
    Files.write(app.resolve("style.css.br"), CSS_BR);
    TestApps.deploy(node, "site", "files.test", TestApps.pack(app));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  /** Sends {@code requests} on one connection, then reads until the front closes it. */
  private static String exchange(String requests) throws IOException {
    try (Socket s = new Socket("127.0.0.1", node.httpPort())) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write(requests.getBytes(StandardCharsets.ISO_8859_1));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private static String get(String path, String... headers) {
    return "GET " + path + " HTTP/1.1\r\nHost: files.test\r\n" + String.join("", headers) + "\r\n";
  }

  @Test
  void smallAndLargeFilesArriveWholeOnOneConnection() throws Exception {
    String all =
        exchange(
            get("/small.txt") + get("/large.bin") + get("/small.txt", "Connection: close\r\n"));
    String whole = new String(large, StandardCharsets.ISO_8859_1);
    int first = all.indexOf("\r\n\r\nsmall file\n");
    int second = all.indexOf("\r\n\r\n" + whole);
    assertThat(all).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nDate: ");
    assertThat(first).isPositive();
    assertThat(second).isGreaterThan(first);
    assertThat(all.substring(second)).contains("Content-Length: 11\r\n").endsWith("small file\n");
    assertThat(all).doesNotContain("Server: Jetty");
  }

  @Test
  void aLargeFileReachesAReaderSlowerThanTheSocket() throws Exception {
    try (Socket s = new Socket()) {
      s.setReceiveBufferSize(4096);
      s.connect(new java.net.InetSocketAddress("127.0.0.1", node.httpPort()));
      s.setSoTimeout(30_000);
      s.getOutputStream().write(get("/large.bin", CLOSE).getBytes(StandardCharsets.ISO_8859_1));
      java.io.InputStream in = s.getInputStream();
      java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
      byte[] b = new byte[1024];
      for (int n; (n = in.read(b)) > 0; ) {
        got.write(b, 0, n);
        if (got.size() < 64 * 1024) {
          Thread.sleep(2); // the front's writes fill the socket and wait, again and again
        }
      }
      assertThat(got.toString(StandardCharsets.ISO_8859_1))
          .startsWith("HTTP/1.1 200 ")
          .endsWith("\r\n\r\n" + latin1(large));
    }
  }

  @Test
  void aRangeOfALargeFileAndA304AreAnswered() throws Exception {
    String range =
        exchange(get("/large.bin", "Range: bytes=100000-100009\r\nConnection: close\r\n"));
    assertThat(range)
        .startsWith("HTTP/1.1 206 ")
        .contains("Content-Range: bytes 100000-100009/" + large.length)
        .endsWith(new String(large, 100000, 10, StandardCharsets.ISO_8859_1));
    String etag = header(exchange(get("/small.txt", "Connection: close\r\n")), "ETag");
    assertThat(exchange(get("/small.txt", "If-None-Match: " + etag + "\r\nConnection: close\r\n")))
        .startsWith("HTTP/1.1 304 ")
        .endsWith("\r\n\r\n");
  }

  @Test
  void aFileChangedOnDiskIsSentAsItIsNow() throws Exception {
    Path file = node.layout().root().resolve("apps/site");
    Path changing;
    try (var found = Files.walk(file)) {
      changing =
          found
              .filter(p -> p.getFileName().toString().equals("changing.txt"))
              .findFirst()
              .orElseThrow();
    }
    assertThat(exchange(get("/changing.txt", "Connection: close\r\n"))).endsWith("first\n");
    Files.writeString(changing, "changed, and longer\n");
    assertThat(exchange(get("/changing.txt", "Connection: close\r\n")))
        .endsWith("changed, and longer\n");
  }

  @Test
  void aBrowsersAcceptEncodingGetsThePrecompressedCopyAsTheFullServerWouldSendIt()
      throws Exception {
    String br = exchange(get("/style.css", "Accept-Encoding: gzip, deflate, br\r\n" + CLOSE));
    String gz = exchange(get("/style.css", "Accept-Encoding: gzip\r\n" + CLOSE));
    String plain = exchange(get("/style.css", CLOSE));
    // HTTP/1.0 takes the full server's path, whose rules these must be
    String full =
        exchange("GET /style.css HTTP/1.0\r\nHost: files.test\r\nAccept-Encoding: gzip\r\n\r\n");

    assertThat(br).doesNotContain("Server: Jetty").endsWith(latin1(CSS_BR));
    assertThat(header(br, "Content-Encoding")).isEqualTo("br");
    assertThat(gz).doesNotContain("Server: Jetty").endsWith(latin1(cssGz));
    assertThat(header(gz, "Content-Encoding")).isEqualTo("gzip");
    assertThat(header(plain, "Content-Encoding")).isNull();
    assertThat(plain).endsWith(CSS);
    for (String answer : List.of(br, gz, plain)) {
      assertThat(header(answer, "Vary")).isEqualTo("Accept-Encoding");
    }
    assertThat(full).contains("Server: Jetty").endsWith(latin1(cssGz));
    for (String name : List.of("ETag", "Content-Encoding", "Content-Length", "Vary")) {
      assertThat(header(gz, name)).as(name).isEqualTo(header(full, name));
    }
    assertThat(header(gz, "ETag")).isNotEqualTo(header(plain, "ETag"));
    String etag = header(gz, "ETag");
    assertThat(
            exchange(
                get(
                    "/style.css",
                    "Accept-Encoding: gzip\r\nIf-None-Match: " + etag + "\r\n" + CLOSE)))
        .startsWith("HTTP/1.1 304 ")
        .doesNotContain("Server: Jetty");
  }

  private static final String CLOSE = "Connection: close\r\n";

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static byte[] gzip(String text) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
      z.write(text.getBytes(StandardCharsets.US_ASCII));
    }
    return out.toByteArray();
  }

  private static String header(String answer, String name) {
    for (String line : answer.split("\r\n")) {
      if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
        return line.substring(name.length() + 1).strip();
      }
    }
    return null;
  }
}

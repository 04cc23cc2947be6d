package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request and response bodies stream through the front: 1 GiB each way through a node whose heap is
 * 64 MiB, to and from a python app that counts and produces the bytes 64 KiB at a time.
 */
class StreamingIT {
  private static final long GIB = 1L << 30;
  private static final String NODE_JAVA_OPTS = "-Xmx64m -XX:+UseSerialGC";

  private static final String APP_INI =
      """
      [production]
      app_name = stream
      runtime = command
      runner = python3 app.py
      health = /ping
      """;

  private static final String APP_PY =
      """
      import os, signal, sys
      from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
      from urllib.parse import parse_qs, urlparse

      PIECE = 64 * 1024
      ZEROS = bytes(PIECE)
      signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))


      class Handler(BaseHTTPRequestHandler):
          protocol_version = "HTTP/1.1"

          def do_POST(self):
              count = 0
              if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                  while True:
                      size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                      if size == 0:
                          while self.rfile.readline() not in (b"\\r\\n", b"\\n", b""):
                              pass
                          break
                      count += self.consume(size)
                      self.rfile.readline()
              else:
                  count = self.consume(int(self.headers.get("Content-Length", "0")))
              self.answer(str(count).encode())

          def consume(self, size):
              count = 0
              while size > 0:
                  data = self.rfile.read(min(size, PIECE))
                  if not data:
                      break
                  count += len(data)
                  size -= len(data)
              return count

          def do_GET(self):
              url = urlparse(self.path)
              if url.path != "/big":
                  return self.answer(b"ok")
              n = int(parse_qs(url.query)["n"][0])
              self.send_response(200)
              self.send_header("Content-Type", "application/octet-stream")
              self.send_header("Content-Length", str(n))
              self.end_headers()
              while n > 0:
                  k = min(n, PIECE)
                  self.wfile.write(ZEROS if k == PIECE else ZEROS[:k])
                  n -= k

          def answer(self, body):
              self.send_response(200)
              self.send_header("Content-Type", "text/plain")
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)

          def log_message(self, format, *args):
              pass


      ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
      """;

  @TempDir Path dir;
  private TestNode node;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** A node like TestNode's, but run with a 64 MiB heap instead of the 128 MiB failsafe gives. */
  @BeforeEach
  void startNodeWithSmallHeap() throws Exception {
    node = TestNode.start(dir, Map.of("SILVER_NODE_JAVA_OPTS", NODE_JAVA_OPTS));
  }

  @AfterEach
  void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aGibibyteGoesUpAndComesDownThroughANodeWithA64MiBHeap() throws Exception {
    Path app = dir.resolve("stream");
    Files.createDirectories(app);
    Files.writeString(app.resolve("app.ini"), APP_INI);
    Files.writeString(app.resolve("app.py"), APP_PY);
    // The JDK's HttpClient will not set Host, so the app lives where its own Host points.
    TestNode.Result r = node.silver("update", app.toString(), "127.0.0.1");
    assertThat(r.exitCode()).as(r.output()).isZero();
    String base = "http://127.0.0.1:" + node.httpPort();

    CountingZeros upload = new CountingZeros(GIB);
    long t0 = System.nanoTime();
    HttpResponse<String> up =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/upload"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> upload))
                .timeout(Duration.ofSeconds(120))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    double upSeconds = (System.nanoTime() - t0) / 1e9;
    assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
    assertThat(upload.count).isEqualTo(GIB);
    assertThat(up.body()).isEqualTo(Long.toString(GIB));

    t0 = System.nanoTime();
    HttpResponse<InputStream> down =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/big?n=" + GIB))
                .timeout(Duration.ofSeconds(120))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    long received = 0;
    try (InputStream in = down.body()) {
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) >= 0; ) {
        received += n;
      }
    }
    double downSeconds = (System.nanoTime() - t0) / 1e9;
    assertThat(down.statusCode()).isEqualTo(200);
    assertThat(received).isEqualTo(GIB);

    System.out.printf(
        "streaming through a node with %s: 1 GiB up in %.1f s (%.0f MiB/s), 1 GiB down in %.1f s"
            + " (%.0f MiB/s); node peak RSS %s%n",
        NODE_JAVA_OPTS,
        upSeconds,
        1024 / upSeconds,
        downSeconds,
        1024 / downSeconds,
        peakRss(node.process().pid()));
    assertThat(node.process().isAlive()).as("the node is still running").isTrue();
    assertThat(
            http.send(
                    HttpRequest.newBuilder(URI.create(base + "/ping")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body())
        .isEqualTo("ok");
    assertThat(node.log()).doesNotContain("OutOfMemoryError");
  }

  private static String peakRss(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
          .filter(l -> l.startsWith("VmHWM:"))
          .map(l -> l.substring("VmHWM:".length()).strip())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** {@code size} zero bytes, made as they are read; counts what was read. */
  private static final class CountingZeros extends InputStream {
    private final long size;
    volatile long count;

    CountingZeros(long size) {
      this.size = size;
    }

    @Override
    public int read() {
      if (count >= size) {
        return -1;
      }
      count++;
      return 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (count >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - count);
      java.util.Arrays.fill(b, off, off + n, (byte) 0);
      count += n;
      return n;
    }
  }
}

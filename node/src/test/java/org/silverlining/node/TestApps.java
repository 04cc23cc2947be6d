package org.silverlining.node;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.silverlining.core.AppArchive;
import org.silverlining.node.deploy.DeployFailedException;
import org.silverlining.node.deploy.Deployer;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.steps.Progress;

/** Small apps written by tests, packed and deployed to an in-process node. */
public final class TestApps {
  private TestApps() {}

  /**
   * A Python HTTP/1.1 server on {@code $PORT}. {@code GET} answers JSON with the path, the headers
   * (names lower case), {@code SILVER_MATCH_PATH} and the instance; {@code GET /big?N} sends {@code
   * N} bytes chunked; {@code GET /slow} sends a line, then another once {@code GET /release} has
   * come (on another connection); {@code POST} answers how many body bytes arrived.
   */
  public static final String ECHO_PY =
      """
      import http.server, json, os, socketserver, threading, time

      released = threading.Event()

      class Echo(http.server.BaseHTTPRequestHandler):
          protocol_version = "HTTP/1.1"

          def log_message(self, *args):
              pass

          def answer(self, code, body):
              self.send_response(code)
              self.send_header("Content-Type", "application/json")
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)

          def chunk(self, data):
              self.wfile.write(b"%x\\r\\n" % len(data) + data + b"\\r\\n")
              self.wfile.flush()

          def chunked(self):
              self.send_response(200)
              self.send_header("Content-Type", "application/octet-stream")
              self.send_header("Transfer-Encoding", "chunked")
              self.end_headers()

          def do_GET(self):
              if self.path.startswith("/big?"):
                  left = int(self.path[5:])
                  self.chunked()
                  block = b"x" * 65536
                  while left > 0:
                      part = block[: min(left, len(block))]
                      self.chunk(part)
                      left -= len(part)
                  self.wfile.write(b"0\\r\\n\\r\\n")
                  return
              if self.path == "/slow":
                  self.chunked()
                  self.chunk(b"first\\n")
                  released.wait(60)
                  self.chunk(b"last\\n")
                  self.wfile.write(b"0\\r\\n\\r\\n")
                  return
              if self.path == "/release":
                  released.set()
              self.answer(200, json.dumps({
                  "path": self.path,
                  "headers": {k.lower(): v for k, v in self.headers.items()},
                  "match_path": os.environ["SILVER_MATCH_PATH"],
                  "instance": os.environ["SILVER_INSTANCE_NAME"],
              }).encode())

          def do_POST(self):
              total = 0
              if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                  while True:
                      size = int(self.rfile.readline().split(b";")[0], 16)
                      if size == 0:
                          while self.rfile.readline() not in (b"\\r\\n", b"\\n", b""):
                              pass
                          break
                      while size > 0:
                          data = self.rfile.read(min(size, 1 << 20))
                          size -= len(data)
                          total += len(data)
                      self.rfile.readline()
              else:
                  left = int(self.headers.get("Content-Length", "0"))
                  while left > 0:
                      data = self.rfile.read(min(left, 1 << 20))
                      if not data:
                          break
                      left -= len(data)
                      total += len(data)
              self.answer(200, json.dumps({"bytes": total, "path": self.path}).encode())

      class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
          daemon_threads = True
          allow_reuse_address = True

      Server(("127.0.0.1", int(os.environ["PORT"])), Echo).serve_forever()
      """;

  /** Writes an app folder {@code dir} with {@code files} (path → content). */
  public static Path write(Path dir, Map<String, String> files) {
    try {
      for (Map.Entry<String, String> f : files.entrySet()) {
        Path p = dir.resolve(f.getKey());
        Files.createDirectories(p.getParent());
        Files.writeString(p, f.getValue());
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The app.ini of a {@code command} app run by {@code runner}, plus {@code more} lines. */
  public static String commandIni(String app, String runner, String more) {
    return "[production]\napp_name = "
        + app
        + "\nruntime = command\nrunner = "
        + runner
        + "\n"
        + more;
  }

  /** {@code dir} written as the echo app called {@code app}, with {@code extra} files. */
  public static Path echoApp(Path dir, String app, Map<String, String> extra) {
    write(dir, Map.of("app.py", ECHO_PY, "app.ini", commandIni(app, "python3 app.py", "")));
    return write(dir, extra);
  }

  /** The tar.gz upload of {@code appDir}. */
  public static byte[] pack(Path appDir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      AppArchive.pack(appDir, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Deploys {@code upload} as {@code app} at {@code location}; returns the new instance. */
  public static String deploy(Node node, String app, String location, byte[] upload)
      throws DeployFailedException, IOException, java.sql.SQLException {
    return node.deployer()
        .deploy(
            new Deployer.Request(app, location, false, null, "test"),
            new ByteArrayInputStream(upload),
            Progress.NONE);
  }

  /** A node on free loopback ports in {@code root}. */
  public static Node startNode(Path root) throws Exception {
    NodeSettings.HostPort any = new NodeSettings.HostPort("127.0.0.1", 0);
    return Node.start(new NodeLayout(root), new NodeSettings("t", any, any), false);
  }
}

package org.silverlining.node.admin;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.silverlining.node.api.ApiArea;
import org.silverlining.node.api.ApiCall;
import org.silverlining.node.api.Params;
import org.silverlining.node.api.Routes;
import org.silverlining.node.control.NodeStatus;

/** An app's log: its last lines, and with {@code follow} what it writes next, as plain text. */
final class LogsArea implements ApiArea {
  /** How often a follower looks for new lines. */
  static final long FOLLOW_POLL_MILLIS = 200;

  private final NodeStatus status;
  private final Function<String, Path> appLog;

  /** {@code appLog}: the log file of an app. */
  LogsArea(NodeStatus status, Function<String, Path> appLog) {
    this.status = status;
    this.appLog = appLog;
  }

  /** An app named by {@code app} or by its {@code location}; {@code n} lines (100 when absent). */
  record LogsParams(String app, String location, Integer n, boolean follow) {
    LogsParams {
      app = Params.optional(app);
      if (app == null) {
        Params.required("location", location);
      }
      n = Params.atLeast("n", n, 0, 100);
    }
  }

  @Override
  public void addRoutes(Routes routes) {
    routes.get("logs", this::logs);
  }

  private void logs(ApiCall call) throws Exception {
    LogsParams p = call.params(LogsParams.class);
    String app = p.app() != null ? p.app() : status.appAt(p.location());
    Path file = appLog.apply(app);
    call.response().setStatus(200);
    call.response().getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    try (OutputStream out = Content.Sink.asOutputStream(call.response())) {
      long offset = 0;
      if (Files.exists(file)) {
        for (String line : lastLines(file, p.n())) {
          out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        offset = Files.size(file);
      }
      out.flush();
      while (p.follow()) {
        Thread.sleep(FOLLOW_POLL_MILLIS);
        offset = sendNew(file, offset, out);
        out.flush(); // fails once the client has gone, which ends the loop
      }
    } catch (IOException e) {
      // a follower disconnected
    }
    call.callback().succeeded();
  }

  private static Deque<String> lastLines(Path file, int n) throws IOException {
    Deque<String> last = new ArrayDeque<>();
    try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        last.addLast(line);
        if (last.size() > n) {
          last.removeFirst();
        }
      }
    }
    return last;
  }

  /** Sends what {@code file} has past {@code offset}; the offset after it. */
  private static long sendNew(Path file, long offset, OutputStream out) throws IOException {
    if (!Files.exists(file)) {
      return offset;
    }
    long size = Files.size(file);
    if (size < offset) {
      offset = 0; // rotated
    }
    if (size > offset) {
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
        raf.seek(offset);
        byte[] buf = new byte[(int) Math.min(size - offset, 1 << 20)];
        raf.readFully(buf);
        out.write(buf);
        offset += buf.length;
      }
    }
    return offset;
  }
}

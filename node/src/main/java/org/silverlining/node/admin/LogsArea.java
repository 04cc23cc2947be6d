package org.silverlining.node.admin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.silverlining.node.api.ApiArea;
import org.silverlining.node.api.ApiCall;
import org.silverlining.node.api.Params;
import org.silverlining.node.api.Routes;
import org.silverlining.node.control.NodeStatus;
import org.silverlining.node.logs.LogTail;

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
      LogTail tail = new LogTail(file); // across app.log.1 too, and through rotations
      tail.last(p.n(), out);
      out.flush();
      while (p.follow()) {
        Thread.sleep(FOLLOW_POLL_MILLIS);
        tail.follow(out);
        out.flush(); // fails once the client has gone, which ends the loop
      }
    } catch (IOException e) {
      // a follower disconnected
    }
    call.callback().succeeded();
  }
}

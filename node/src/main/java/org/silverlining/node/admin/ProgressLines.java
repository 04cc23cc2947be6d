package org.silverlining.node.admin;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.silverlining.node.api.ApiJson;
import org.silverlining.node.steps.Progress;

/**
 * The answer of a long call (deploy, configuration change, restore): {@code application/x-ndjson},
 * one JSON object a line, flushed one by one as stages start and finish, ending with the call's
 * result line. Remembers the stage that runs, for a failure to name.
 */
final class ProgressLines implements Progress, AutoCloseable {
  private final OutputStream out;
  private volatile String stage = "request";

  private ProgressLines(OutputStream out) {
    this.out = out;
  }

  /** Starts the answer: status 200 and its content type are sent with the first line. */
  static ProgressLines start(Response response) {
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson");
    return new ProgressLines(Content.Sink.asOutputStream(response));
  }

  /** The stage that started last ({@code request} before the first). */
  String stage() {
    return stage;
  }

  synchronized void send(Map<String, ?> line) {
    try {
      out.write(ApiJson.ANSWERS.writeValueAsBytes(line));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      // the client went away; the work goes on and is recorded
    }
  }

  @Override
  public void started(String stage) {
    this.stage = stage;
    send(Map.of("stage", stage, "status", "started"));
  }

  @Override
  public void finished(String stage, long millis, String detail) {
    send(Map.of("stage", stage, "status", "done", "ms", millis, "detail", detail));
  }

  @Override
  public void note(String text) {
    send(Map.of("note", text));
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}

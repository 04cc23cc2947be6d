package org.silverlining.node.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real local webhook on a port of its own that keeps every JSON body posted to it. */
final class WebhookReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final List<JsonNode> posted = new CopyOnWriteArrayList<>();

  private WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hook",
        ex -> {
          posted.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    server.start();
  }

  static WebhookReceiver start() throws IOException {
    return new WebhookReceiver();
  }

  /** The address to give as {@code alert_webhook}. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** The bodies posted so far, in order. */
  List<JsonNode> posted() {
    return posted;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

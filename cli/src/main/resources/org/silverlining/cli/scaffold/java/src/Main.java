import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** {{app_name}}: answers on 127.0.0.1:$PORT, at / with a greeting and at /ping for health. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws IOException {
    // Without TCP_NODELAY the JDK server sends a small body only after the peer's delayed ACK:
    // about 40 ms per request on a keep-alive connection, such as the node's pool to the app.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
    String instance = System.getenv().getOrDefault("SILVER_INSTANCE_NAME", "{{app_name}}");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/", exchange -> handle(exchange, instance));
    server.start();
    System.out.println("{{app_name}} listening on 127.0.0.1:" + port);
  }

  private static void handle(HttpExchange exchange, String instance) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/ping")) {
      answer(exchange, 200, "ok\n");
    } else if (path.equals("/")) {
      answer(exchange, 200, "Hello from {{app_name}}, instance " + instance + "\n");
    } else {
      answer(exchange, 404, "not found: " + path + "\n");
    }
  }

  private static void answer(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}

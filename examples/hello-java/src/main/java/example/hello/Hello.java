package example.hello;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * Answers every request with a greeting naming the instance, on the port given in {@code $PORT}.
 */
public final class Hello {
  private Hello() {}

  public static void main(String[] args) throws IOException {
    // Without TCP_NODELAY the JDK server sends a small body only after the peer's delayed ACK:
    // about 40 ms per request on a keep-alive connection, such as the node's pool to the app.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
    String instance = System.getenv().getOrDefault("SILVER_INSTANCE_NAME", "hello");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/", exchange -> answer(exchange, 200, "Hello from " + instance + "\n"));
    server.createContext("/ping", exchange -> answer(exchange, 200, "ok\n"));
    server.start();
    System.out.println("hello listening on 127.0.0.1:" + port);
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

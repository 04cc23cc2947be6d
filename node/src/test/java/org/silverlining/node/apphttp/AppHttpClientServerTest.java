package org.silverlining.node.apphttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against the JDK's own HTTP server on a port of its choosing. */
class AppHttpClientServerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final AppHttpClient client =
      new AppHttpClient(Duration.ofSeconds(2), Duration.ofSeconds(20));
  private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
  private final CountDownLatch release = new CountDownLatch(1);
  private HttpServer server;
  private int port;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
    port = server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    release.countDown();
    client.close();
    server.stop(0);
  }

  private void handle(HttpExchange x) throws IOException {
    clientPorts.add(x.getRemoteAddress().getPort());
    String path = x.getRequestURI().getPath();
    byte[] body = x.getRequestBody().readAllBytes();
    switch (path) {
      case "/chunked" -> {
        x.sendResponseHeaders(200, 0); // length 0: the JDK server sends chunks
        try (OutputStream out = x.getResponseBody()) {
          for (int i = 0; i < 100; i++) {
            out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
          }
        }
      }
      case "/echo" -> {
        byte[] answer =
            (x.getRequestMethod()
                    + " "
                    + x.getRequestURI().getRawPath()
                    + " "
                    + x.getRequestHeaders().getFirst("X-Kind")
                    + " "
                    + new String(body, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(201, answer.length);
        try (OutputStream out = x.getResponseBody()) {
          out.write(answer);
        }
      }
      case "/early-close" -> {
        x.sendResponseHeaders(200, 1000);
        x.getResponseBody().write("only part".getBytes(StandardCharsets.UTF_8));
        x.getResponseBody().flush();
        // Closed short of the promised length: the JDK server drops the connection.
        x.getResponseBody().close();
      }
      case "/slow" -> {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        x.sendResponseHeaders(204, -1);
        x.close();
      }
      default -> {
        x.sendResponseHeaders(404, -1);
        x.close();
      }
    }
  }

  @Test
  void aChunkedBodyIsReadWholeAndItsEndKept() throws Exception {
    AppResponse r = client.send(AppRequest.of(port, "GET", "/chunked", TIMEOUT).keepingBody(13));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().get("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(r.bodyLength()).isEqualTo(790);
    assertThat(r.bodyText()).isEqualTo("e 98\nline 99\n");
  }

  @Test
  void requestsShareOneKeptConnection() throws Exception {
    for (int i = 0; i < 5; i++) {
      AppResponse r =
          client.send(
              AppRequest.of(port, "POST", "/echo", TIMEOUT)
                  .withHeader("X-Kind", "k" + i)
                  .withBody(("body " + i).getBytes(StandardCharsets.UTF_8))
                  .keepingBody(1000));
      assertThat(r.status()).isEqualTo(201);
      assertThat(r.bodyText()).isEqualTo("POST /echo k" + i + " body " + i);
    }
    client.send(AppRequest.of(port, "GET", "/chunked", TIMEOUT));

    assertThat(clientPorts).hasSize(1);
    assertThat(client.idleConnections()).isEqualTo(1);
  }

  @Test
  void aClientThatKeepsNothingUsesAConnectionPerRequest() throws Exception {
    try (AppHttpClient oneShot = new AppHttpClient(Duration.ofSeconds(2), Duration.ZERO)) {
      for (int i = 0; i < 3; i++) {
        assertThat(oneShot.send(AppRequest.of(port, "GET", "/echo", TIMEOUT)).status())
            .isEqualTo(201);
      }
      assertThat(oneShot.idleConnections()).isZero();
    }
    assertThat(clientPorts).hasSize(3);
  }

  @Test
  void pathsBeyondAsciiArePercentEncoded() throws Exception {
    AppResponse r = client.send(AppRequest.of(port, "GET", "/echo?q=é", TIMEOUT).keepingBody(100));

    assertThat(r.bodyText()).startsWith("GET /echo ");
  }

  @Test
  void aServerThatClosesBeforeTheEndOfItsAnswerIsAnError() {
    assertThatThrownBy(() -> client.send(AppRequest.of(port, "GET", "/early-close", TIMEOUT)))
        .isInstanceOf(IOException.class)
        .hasMessage("the app closed the connection in the middle of its answer");
    assertThat(client.idleConnections()).isZero();
  }

  @Test
  void aSlowServerRunsIntoTheRequestsTimeout() {
    assertThatThrownBy(
            () -> client.send(AppRequest.of(port, "GET", "/slow", Duration.ofMillis(200))))
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessage("no full answer from the app in time");
    assertThat(client.idleConnections()).isZero();
  }

  @Test
  void aMalformedStatusLineIsAClearError() throws Exception {
    try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t =
          new Thread(
              () -> {
                try (Socket s = raw.accept()) {
                  s.getInputStream().read(new byte[4096]);
                  s.getOutputStream().write("HTTP/1.1 2x0 OK\r\n\r\n".getBytes());
                } catch (IOException e) {
                  // the test failed already
                }
              });
      t.start();

      assertThatThrownBy(() -> client.send(AppRequest.of(raw.getLocalPort(), "GET", "/", TIMEOUT)))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("the app's answer is not valid HTTP/1.1: ");
      t.join();
    }
  }
}

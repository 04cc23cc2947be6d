package org.silverlining.node.apphttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against a loopback server that answers each request with scripted bytes. */
class AppHttpClientTest {
  private final AppHttpClient client =
      new AppHttpClient(Duration.ofSeconds(2), Duration.ofSeconds(20));
  private final List<Socket> accepted = new ArrayList<>();
  private ServerSocket server;
  private Thread serving;

  /** A scripted answer: its bytes, and whether the server closes the connection after it. */
  private record Answer(String bytes, boolean close) {}

  private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
  private final AtomicInteger connections = new AtomicInteger();

  /** Released each time the server has closed a connection. */
  private final Semaphore serverClosed = new Semaphore(0);

  private int serve(Answer... script) throws IOException {
    answers.addAll(List.of(script));
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    serving =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket s = server.accept();
                  connections.incrementAndGet();
                  synchronized (accepted) {
                    accepted.add(s);
                  }
                  Thread t =
                      new Thread(
                          () -> {
                            answerAll(s); // closes s
                            serverClosed.release();
                          });
                  t.setDaemon(true);
                  t.start();
                } catch (IOException e) {
                  return;
                }
              }
            });
    serving.setDaemon(true);
    serving.start();
    return server.getLocalPort();
  }

  /** Reads requests (head and Content-Length body) and writes the next scripted answer to each. */
  private void answerAll(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        int length = 0;
        for (String line : head.split("\r\n")) {
          if (line.toLowerCase().startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).trim());
          }
        }
        requests.add(head + new String(in.readNBytes(length), StandardCharsets.UTF_8));
        Answer a = answers.poll(5, TimeUnit.SECONDS);
        if (a == null) {
          return;
        }
        out.write(a.bytes().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        if (a.close()) {
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // the test ended the connection
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int matched = 0;
    for (int c; (c = in.read()) >= 0; ) {
      b.write(c);
      matched =
          (c == '\r' && matched % 2 == 0) || (c == '\n' && matched % 2 == 1) ? matched + 1 : 0;
      if (matched == 4) {
        return b.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  @AfterEach
  void stop() throws IOException {
    client.close();
    if (server != null) {
      server.close();
    }
    synchronized (accepted) {
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  private int get(int port) throws IOException {
    return send(port, "GET", "/x", Map.of(), null, 5000);
  }

  private int send(
      int port, String method, String path, Map<String, String> headers, byte[] body, long millis)
      throws IOException {
    return client
        .send(
            AppRequest.of(port, method, path, Duration.ofMillis(millis))
                .withHeaders(headers)
                .withBody(body))
        .status();
  }

  @Test
  void sendsTheRequestAndKeepsTheConnectionForTheNext() throws Exception {
    int port =
        serve(
            new Answer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", false),
            new Answer("HTTP/1.1 503 Busy\r\ncontent-length: 0\r\n\r\n", false));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Kind", "welcome");
    headers.put("X-Silver-Task-Name", "t-1");

    assertThat(
            send(
                port,
                "POST",
                "/tasks/mail?to=é",
                headers,
                "{\"user\": 42}".getBytes(StandardCharsets.UTF_8),
                5000))
        .isEqualTo(200);
    assertThat(get(port)).isEqualTo(503);

    assertThat(requests.poll())
        .isEqualTo(
            "POST /tasks/mail?to=%C3%A9 HTTP/1.1\r\nHost: 127.0.0.1:"
                + port
                + "\r\nX-Kind: welcome\r\nX-Silver-Task-Name: t-1\r\nContent-Length: 12\r\n\r\n"
                + "{\"user\": 42}");
    assertThat(requests.poll()).startsWith("GET /x HTTP/1.1\r\n").doesNotContain("Content-Length");
    assertThat(connections.get()).isEqualTo(1);
    assertThat(client.idleConnections()).isEqualTo(1);
  }

  @Test
  void aPostWithoutBodySaysContentLengthZero() throws Exception {
    int port = serve(new Answer("HTTP/1.1 204 No Content\r\n\r\n", false));

    assertThat(send(port, "POST", "/", Map.of(), null, 5000)).isEqualTo(204);
    assertThat(requests.poll()).contains("\r\nContent-Length: 0\r\n");
    assertThat(client.idleConnections()).isEqualTo(1);
  }

  @Test
  void readsAChunkedAnswerWithExtensionsAndTrailersToItsEnd() throws Exception {
    int port =
        serve(
            new Answer(
                "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n"
                    + "X-Trailer: yes\r\n\r\n",
                false),
            new Answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false));

    assertThat(get(port)).isEqualTo(201);
    assertThat(get(port)).isEqualTo(200); // the same connection: the chunked body was read whole
    assertThat(connections.get()).isEqualTo(1);
  }

  @Test
  void anAnswerEndedByTheConnectionsCloseIsReadAndTheConnectionDropped() throws Exception {
    int port =
        serve(
            new Answer("HTTP/1.0 500 Oops\r\n\r\nsomething broke", true),
            new Answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", true),
            new Answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false));

    assertThat(get(port)).isEqualTo(500);
    assertThat(client.idleConnections()).isZero();
    assertThat(get(port)).isEqualTo(200);
    assertThat(client.idleConnections()).isZero();
    assertThat(get(port)).isEqualTo(200);
    assertThat(connections.get()).isEqualTo(3);
  }

  @Test
  void skipsInterimAnswersAndTakesHeadAnswersWithoutBody() throws Exception {
    int port =
        serve(
            new Answer(
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n"
                    + "HTTP/1.1 202 Accepted\r\nContent-Length: 3\r\n\r\nyes",
                false),
            new Answer("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", false),
            new Answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false));

    assertThat(get(port)).isEqualTo(202);
    assertThat(send(port, "HEAD", "/", Map.of(), null, 5000)).isEqualTo(200);
    assertThat(get(port)).isEqualTo(200);
    assertThat(connections.get()).isEqualTo(1);
  }

  @Test
  void aKeptConnectionTheAppClosedIsReplacedOnce() throws Exception {
    int port =
        serve(
            new Answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true), // closes, unsaid
            new Answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false));

    assertThat(get(port)).isEqualTo(200);
    assertThat(serverClosed.tryAcquire(5, TimeUnit.SECONDS)).isTrue(); // it closed its end
    assertThat(get(port)).isEqualTo(200);
    assertThat(connections.get()).isEqualTo(2);
  }

  @Test
  void noFullAnswerInTimeIsATimeout() throws Exception {
    int port = serve(new Answer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf", false));

    assertThatThrownBy(() -> send(port, "GET", "/", Map.of(), null, 300))
        .isInstanceOf(SocketTimeoutException.class);
    assertThat(client.idleConnections()).isZero();
  }

  @Test
  void brokenAnswersAndRefusedConnectionsAreErrors() throws Exception {
    int port =
        serve(
            new Answer("SSH-2.0-OpenSSH\r\n\r\n", true),
            new Answer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", true),
            new Answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", true));

    assertThatThrownBy(() -> get(port))
        .hasMessageContaining("the app's answer is not valid HTTP/1.1");
    assertThatThrownBy(() -> get(port))
        .hasMessageContaining("closed the connection in the middle of its answer");
    assertThatThrownBy(() -> get(port))
        .hasMessageContaining("the app's answer is not valid HTTP/1.1");
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    assertThatThrownBy(() -> get(closedPort)).isInstanceOf(ConnectException.class);
  }

  @Test
  void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
    Answer ok = new Answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false);
    int port = serve(ok, ok, ok);

    assertThat(get(port)).isEqualTo(200);
    assertThat(client.idleConnections()).isEqualTo(1);
    client.closeIdle(System.nanoTime() - 1); // idle since before now
    assertThat(client.idleConnections()).isZero();

    assertThat(get(port)).isEqualTo(200);
    client.close();
    assertThat(client.idleConnections()).isZero();
    assertThat(get(port)).isEqualTo(200);
    assertThat(client.idleConnections()).as("a closed client keeps nothing").isZero();
  }
}

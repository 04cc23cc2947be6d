package org.silverlining.node.apphttp;

import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The node's one way to make its own HTTP requests to its app processes on loopback (health checks,
 * update fetches, cron, task deliveries, the WebSocket handshake): blocking HTTP/1.1, the calling
 * thread writing the request and reading the answer itself. Jetty's {@code HttpGenerator} writes
 * and its {@code HttpParser} reads (Content-Length, chunked and close-delimited answers, interim
 * 1xx answers skipped). A task delivery is one request and its status; an asynchronous client costs
 * several thread hand-offs and more CPU per request than the exchange itself (see
 * docs/benchmarks.md). The proxying of users' requests is Jetty's asynchronous proxy instead.
 *
 * <p>With an idle timeout above zero, connections are kept per port for the next request; a request
 * that fails on a kept connection before any byte of the answer came (the app closed it while idle)
 * is sent once more on a new one. Idle connections are closed after the idle timeout ({@link
 * #closeIdle()}, called at each request, sweeps at most once a second). With an idle timeout of
 * zero, each request has a connection of its own. Thread-safe.
 */
public final class AppHttpClient implements AutoCloseable {
  private final int connectTimeoutMillis;
  private final long idleTimeoutNanos;
  private final Map<Integer, Deque<AppConnection>> idle = new ConcurrentHashMap<>();
  private volatile long lastSweep = System.nanoTime();
  private volatile boolean closed;

  /**
   * A client whose connections must be made within {@code connectTimeout} and are kept for {@code
   * idleTimeout} between requests ({@link Duration#ZERO}: not kept).
   */
  public AppHttpClient(Duration connectTimeout, Duration idleTimeout) {
    this.connectTimeoutMillis = (int) connectTimeout.toMillis();
    this.idleTimeoutNanos = idleTimeout.toNanos();
  }

  /**
   * Sends {@code request} and reads its answer to the end.
   *
   * @throws java.net.SocketTimeoutException when the whole answer has not arrived within the
   *     request's timeout
   * @throws IOException when the connection fails, or the answer is not valid HTTP/1.1 (the message
   *     says how)
   */
  public AppResponse send(AppRequest request) throws IOException {
    closeIdle();
    while (true) {
      AppConnection c = pooled(request.port());
      boolean reused = c != null;
      if (c == null) {
        c = AppConnection.open(request.port(), connectTimeoutMillis);
      }
      try {
        AppResponse r = c.exchange(request, false);
        if (c.reusable && idleTimeoutNanos > 0 && !closed) {
          c.idleSince = System.nanoTime();
          idle.computeIfAbsent(request.port(), p -> new ConcurrentLinkedDeque<>()).push(c);
        } else {
          c.close();
        }
        return r;
      } catch (IOException e) {
        c.close();
        if (!reused || c.answerStarted) {
          throw e;
        }
        // a kept connection the app had closed: once more, on another one
      }
    }
  }

  /**
   * An upgrade's handshake ({@code Connection: upgrade} in {@code request}) on a connection of its
   * own: where the app answers {@code 101}, its socket and the bytes it sent after the answer are
   * handed over (the answer's timeout no longer applies); for any other answer, the connection is
   * closed and the answer returned.
   */
  public Upgrade upgrade(AppRequest request) throws IOException {
    AppConnection c = AppConnection.open(request.port(), connectTimeoutMillis);
    try {
      AppResponse r = c.exchange(request, true);
      if (r.status() == 101) {
        return new Upgrade(r, c.detach(), c.leftover());
      }
      c.close();
      return new Upgrade(r, null, null);
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /**
   * The answer to an upgrade's handshake; after a {@code 101}, the app's {@code socket} and what it
   * sent after its answer ({@code rest}), both {@code null} otherwise.
   */
  public record Upgrade(AppResponse response, Socket socket, ByteBuffer rest) {}

  private AppConnection pooled(int port) {
    Deque<AppConnection> d = idle.get(port);
    if (d == null) {
      return null;
    }
    for (AppConnection c; (c = d.poll()) != null; ) {
      if (System.nanoTime() - c.idleSince < idleTimeoutNanos) {
        return c;
      }
      c.close();
    }
    return null;
  }

  /** Closes the connections idle for longer than the idle timeout, at most once a second. */
  public void closeIdle() {
    long now = System.nanoTime();
    if (now - lastSweep < 1_000_000_000L) {
      return;
    }
    lastSweep = now;
    closeIdle(now - idleTimeoutNanos);
  }

  /** Closes the kept connections idle since before {@code cutoffNanos}; drops empty pools. */
  void closeIdle(long cutoffNanos) {
    for (Iterator<Deque<AppConnection>> pools = idle.values().iterator(); pools.hasNext(); ) {
      Deque<AppConnection> d = pools.next();
      for (Iterator<AppConnection> i = d.iterator(); i.hasNext(); ) {
        AppConnection c = i.next();
        if (c.idleSince - cutoffNanos < 0 && d.removeFirstOccurrence(c)) {
          c.close();
        }
      }
      if (d.isEmpty()) {
        pools.remove();
      }
    }
  }

  /** How many connections are kept open for reuse. */
  int idleConnections() {
    int n = 0;
    for (Deque<AppConnection> d : idle.values()) {
      n += d.size();
    }
    return n;
  }

  @Override
  public void close() {
    closed = true;
    for (Deque<AppConnection> d : idle.values()) {
      for (AppConnection c; (c = d.poll()) != null; ) {
        c.close();
      }
    }
  }
}

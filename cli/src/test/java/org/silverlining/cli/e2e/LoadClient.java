package org.silverlining.cli.e2e;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends {@code GET PATH} with a {@code Host} without pause until stopped, over one keep-alive
 * connection (a new one after a failure) or a fresh connection per request, in raw HTTP/1.1 so that
 * no client library retries behind the test's back; counts the answers by body and the connections
 * opened, and keeps the first failures.
 */
final class LoadClient extends Thread {
  final AtomicLong ok = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong connections = new AtomicLong();
  final Map<String, LongAdder> bodies = new ConcurrentHashMap<>();
  final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private final String address;
  private final int port;
  private final byte[] request;
  private final boolean keepAlive;
  private final AtomicBoolean running = new AtomicBoolean(true);

  LoadClient(String address, int port, String host, String path, boolean keepAlive) {
    super("load " + (keepAlive ? "keep-alive" : "fresh connections"));
    this.address = address;
    this.port = port;
    this.keepAlive = keepAlive;
    this.request =
        ("GET "
                + path
                + " HTTP/1.1\r\nHost: "
                + host
                + "\r\n"
                + (keepAlive ? "" : "Connection: close\r\n")
                + "\r\n")
            .getBytes(StandardCharsets.US_ASCII);
  }

  /** Stops sending and waits for the request under way. */
  void finish() throws InterruptedException {
    running.set(false);
    join(60_000);
  }

  long total() {
    return ok.get() + failed.get();
  }

  @Override
  public void run() {
    Socket socket = null;
    InputStream in = null;
    OutputStream out = null;
    while (running.get()) {
      try {
        if (socket == null) {
          socket = new Socket();
          socket.connect(new InetSocketAddress(address, port), 5_000);
          socket.setSoTimeout(30_000);
          in = new BufferedInputStream(socket.getInputStream());
          out = socket.getOutputStream();
          connections.incrementAndGet();
        }
        out.write(request);
        out.flush();
        HttpAnswer a = HttpAnswer.read(in);
        if (a.status() == 200) {
          ok.incrementAndGet();
          bodies.computeIfAbsent(a.body(), k -> new LongAdder()).increment();
        } else {
          fail("status " + a.status() + ": " + a.body());
        }
        if (!keepAlive || a.close()) {
          socket.close();
          socket = null;
        }
      } catch (IOException | RuntimeException e) {
        fail(e.toString());
        closeQuietly(socket);
        socket = null;
      }
    }
    closeQuietly(socket);
  }

  private void fail(String what) {
    failed.incrementAndGet();
    if (failures.size() < 20) {
      failures.add(what);
    }
  }

  private static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // already broken
      }
    }
  }
}

package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten {@code silver update}s of hello-java in a row while two clients send requests without pause:
 * one over a single keep-alive connection, one on a fresh connection per request. Both speak raw
 * HTTP/1.1 over a socket, so that no client library retries a failed request behind our back.
 */
class ZeroDowntimeIT {
  private static final String HOST = "hello.localhost";
  private static final int UPDATES = 10;
  private static final Pattern BODY = Pattern.compile("Hello from (hello\\.\\d{8}_\\d{3})");

  @TempDir Path dir;

  @Test
  void tenUpdatesInARowFailNoRequestOnKeepAliveOrFreshConnections() throws Exception {
    try (TestNode node = TestNode.start(dir)) {
      Path app = node.copyExample("hello-java");
      Set<String> deployed = ConcurrentHashMap.newKeySet();
      deployed.add(update(node, app));

      AtomicBoolean running = new AtomicBoolean(true);
      Client keepAlive = new Client("keep-alive", node.httpPort(), true, running);
      Client fresh = new Client("fresh connections", node.httpPort(), false, running);
      keepAlive.start();
      fresh.start();
      long t0 = System.nanoTime();
      List<Long> updateMillis = new ArrayList<>();
      try {
        for (int i = 0; i < UPDATES; i++) {
          long u0 = System.nanoTime();
          deployed.add(update(node, app));
          updateMillis.add((System.nanoTime() - u0) / 1_000_000);
        }
      } finally {
        running.set(false);
        keepAlive.join(60_000);
        fresh.join(60_000);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.println("zero downtime: silver update took (ms) " + updateMillis);

      for (Client c : List.of(keepAlive, fresh)) {
        System.out.printf(
            "zero downtime, %s: %d requests in %.1f s over %d connection(s), %d failed;"
                + " answers by instance %s%n",
            c.label,
            c.ok.get() + c.failed.get(),
            seconds,
            c.connections.get(),
            c.failed.get(),
            c.byInstance);
      }
      assertThat(deployed).hasSize(UPDATES + 1);
      for (Client c : List.of(keepAlive, fresh)) {
        assertThat(c.failures).as(c.label + " failures").isEmpty();
        assertThat(c.ok.get()).as(c.label + " requests").isGreaterThanOrEqualTo(300);
        assertThat(c.byInstance.keySet()).as(c.label + " instances").isSubsetOf(deployed);
      }
      // Every answer came from a deployed instance, and at least the first and the last served.
      Set<String> seen = new java.util.HashSet<>(keepAlive.byInstance.keySet());
      seen.addAll(fresh.byInstance.keySet());
      assertThat(seen.size()).isGreaterThan(1);
      assertThat(runningInstances(node)).as("instances still running").hasSize(1);
    }
  }

  private static String update(TestNode node, Path app) throws Exception {
    return TestNode.liveInstance(node.update(app));
  }

  private static List<String> runningInstances(TestNode node) throws Exception {
    TestNode.Result r = node.silver("query", "--json");
    assertThat(r.exitCode()).as(r.output()).isZero();
    List<String> running = new ArrayList<>();
    for (JsonNode a : new ObjectMapper().readTree(r.stdout()).path("apps")) {
      for (JsonNode i : a.path("instances")) {
        if (i.path("running").asBoolean()) {
          running.add(i.path("name").asText());
        }
      }
    }
    return running;
  }

  /** Sends GET / without pause until told to stop, and counts what comes back. */
  private static final class Client extends Thread {
    final String label;
    final AtomicLong ok = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong connections = new AtomicLong();
    final Map<String, LongAdder> byInstance = new ConcurrentHashMap<>();
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final int port;
    private final boolean keepAlive;
    private final AtomicBoolean running;

    Client(String label, int port, boolean keepAlive, AtomicBoolean running) {
      super("client " + label);
      this.label = label;
      this.port = port;
      this.keepAlive = keepAlive;
      this.running = running;
    }

    @Override
    public void run() {
      byte[] request =
          ("GET / HTTP/1.1\r\nHost: "
                  + HOST
                  + "\r\n"
                  + (keepAlive ? "" : "Connection: close\r\n")
                  + "\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      Socket socket = null;
      InputStream in = null;
      OutputStream out = null;
      while (running.get()) {
        try {
          if (socket == null) {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            connections.incrementAndGet();
          }
          out.write(request);
          out.flush();
          HttpAnswer a = HttpAnswer.read(in);
          record(a);
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

    private void record(HttpAnswer a) {
      Matcher m = BODY.matcher(a.body());
      if (a.status() != 200 || !m.matches()) {
        fail("status " + a.status() + ": " + a.body());
        return;
      }
      ok.incrementAndGet();
      byInstance.computeIfAbsent(m.group(1), k -> new LongAdder()).increment();
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
}

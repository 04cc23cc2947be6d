package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten {@code silver update}s of hello-java in a row while two {@link LoadClient}s send requests
 * without pause: one over a single keep-alive connection, one on a fresh connection per request.
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

      LoadClient keepAlive = new LoadClient("127.0.0.1", node.httpPort(), HOST, "/", true);
      LoadClient fresh = new LoadClient("127.0.0.1", node.httpPort(), HOST, "/", false);
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
        keepAlive.finish();
        fresh.finish();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.println("zero downtime: silver update took (ms) " + updateMillis);

      for (LoadClient c : List.of(keepAlive, fresh)) {
        System.out.printf(
            "zero downtime, %s: %d requests in %.1f s over %d connection(s), %d failed;"
                + " answers %s%n",
            c.getName(), c.total(), seconds, c.connections.get(), c.failed.get(), c.bodies);
      }
      assertThat(deployed).hasSize(UPDATES + 1);
      Set<String> seen = new HashSet<>();
      for (LoadClient c : List.of(keepAlive, fresh)) {
        assertThat(c.failures).as(c.getName() + " failures").isEmpty();
        assertThat(c.ok.get()).as(c.getName() + " requests").isGreaterThanOrEqualTo(300);
        Set<String> instances = instances(c.bodies.keySet());
        assertThat(instances).as(c.getName() + " instances").isSubsetOf(deployed);
        seen.addAll(instances);
      }
      // Every answer came from a deployed instance, and at least the first and the last served.
      assertThat(seen.size()).isGreaterThan(1);
      assertThat(runningInstances(node)).as("instances still running").hasSize(1);
    }
  }

  /** The instances that answered, from their bodies, each of which must be hello-java's. */
  private static Set<String> instances(Set<String> bodies) {
    Set<String> out = new HashSet<>();
    for (String body : bodies) {
      Matcher m = BODY.matcher(body);
      assertThat(m.matches()).as("an answer of hello-java: %s", body).isTrue();
      out.add(m.group(1));
    }
    return out;
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
}

package org.silverlining.node.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.Node;
import org.silverlining.node.TestApps;
import org.silverlining.node.admin.Tokens;

/** {@code GET /metrics} of a real node serving a real app process. */
class MetricsEndpointTest {
  @TempDir static Path dir;
  static Node node;
  static HttpClient http;
  static String token;
  static final String ECHO = "app=\"echo\",location=\"echo.test\"";
  static final String SITE = "app=\"site\",location=\"site.test\"";

  @BeforeAll
  static void startNodeWithTwoApps() throws Exception {
    node = TestApps.startNode(dir.resolve("node"));
    token = new Tokens(node.layout().tokensFile()).create("scraper");
    TestApps.deploy(
        node,
        "echo",
        "echo.test",
        TestApps.pack(TestApps.echoApp(dir.resolve("e"), "echo", Map.of())));
    Path site =
        TestApps.write(
            dir.resolve("site"),
            Map.of(
                "app.ini", "[production]\napp_name = site\nruntime = static\n",
                "index.html", "<h1>site</h1>\n"));
    TestApps.deploy(node, "site", "site.test", TestApps.pack(site));
    http = new HttpClient();
    http.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (http != null) {
      http.stop();
    }
    if (node != null) {
      node.close();
    }
  }

  private static int get(String host, String path) throws Exception {
    return http.newRequest("127.0.0.1", node.httpPort())
        .path(path)
        .headers(h -> h.put(HttpHeader.HOST, host))
        .timeout(20, TimeUnit.SECONDS)
        .send()
        .getStatus();
  }

  private static String scrape() throws Exception {
    ContentResponse r =
        http.newRequest("127.0.0.1", node.adminPort())
            .path("/metrics")
            .headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + token))
            .send();
    assertThat(r.getStatus()).isEqualTo(200);
    return r.getContentAsString();
  }

  private static double sample(String text, String name, String... labels) {
    double sum = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      if (!line.startsWith(name + "{")) {
        continue;
      }
      boolean all = true;
      for (String l : labels) {
        all &= line.contains(l);
      }
      if (all) {
        Matcher m = Pattern.compile(" ([0-9.eE+-]+)$").matcher(line);
        assertThat(m.find()).as(line).isTrue();
        sum += Double.parseDouble(m.group(1));
        found = true;
      }
    }
    return found ? sum : -1;
  }

  @Test
  void theRequestCountersMatchTheRequestsSentByAppAndStatusClass() throws Exception {
    String before = scrape();
    double echo2xx = count(before, "silver_http_requests_total", ECHO, "status=\"2xx\"");
    double site4xx = count(before, "silver_http_requests_total", SITE, "status=\"4xx\"");
    double site2xx = count(before, "silver_http_requests_total", SITE, "status=\"2xx\"");
    double echoTimed = count(before, "silver_http_request_duration_seconds_count", "app=\"echo\"");
    double echoUpstream = count(before, "silver_upstream_duration_seconds_count", "app=\"echo\"");

    for (int i = 0; i < 37; i++) {
      assertThat(get("echo.test", "/x" + i)).isEqualTo(200);
    }
    for (int i = 0; i < 5; i++) {
      assertThat(get("site.test", "/missing" + i)).isEqualTo(404);
    }
    assertThat(get("site.test", "/")).isEqualTo(200);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              String text = scrape();
              assertThat(count(text, "silver_http_requests_total", ECHO, "status=\"2xx\""))
                  .isEqualTo(echo2xx + 37);
              assertThat(count(text, "silver_http_requests_total", SITE, "status=\"4xx\""))
                  .isEqualTo(site4xx + 5);
              assertThat(count(text, "silver_http_requests_total", SITE, "status=\"2xx\""))
                  .isEqualTo(site2xx + 1);
              assertThat(count(text, "silver_http_request_duration_seconds_count", "app=\"echo\""))
                  .isEqualTo(echoTimed + 37);
              assertThat(count(text, "silver_upstream_duration_seconds_count", "app=\"echo\""))
                  .isEqualTo(echoUpstream + 37);
            });
  }

  private static double count(String text, String name, String... labels) {
    return Math.max(0, sample(text, name, labels));
  }

  @Test
  void theTextNamesTheCounterTypeAndTheProcessAndMachineFigures() throws Exception {
    assertThat(get("echo.test", "/")).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(scrape())
                    .containsPattern("(?m)^# TYPE silver_http_requests(_total)? counter$"));
    String text = scrape();

    assertThat(sample(text, "silver_process_resident_memory_bytes", "app=\"echo\""))
        .isGreaterThan(1_000_000);
    assertThat(sample(text, "silver_process_cpu_seconds_total", "app=\"echo\"")).isNotNegative();
    assertThat(sample(text, "silver_process_restarts_total", "app=\"echo\"")).isZero();
    assertThat(text).containsPattern("(?m)^silver_node_load1 ");
    assertThat(text).containsPattern("(?m)^silver_node_memory_available_bytes ");
    assertThat(text).containsPattern("(?m)^silver_node_swap_used_bytes ");
    assertThat(text).containsPattern("(?m)^silver_node_disk_free_bytes ");
    assertThat(text).contains("jvm_memory_used_bytes");
  }

  @Test
  void withoutATokenTheMetricsAreRefused() throws Exception {
    ContentResponse r = http.newRequest("127.0.0.1", node.adminPort()).path("/metrics").send();

    assertThat(r.getStatus()).isEqualTo(401);
    assertThat(r.getContentAsString()).doesNotContain("silver_http");
  }

  @Test
  void theMetricsAreNotReachableThroughTheFront() throws Exception {
    ContentResponse r =
        http.newRequest("127.0.0.1", node.httpPort())
            .path("/metrics")
            .headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + token))
            .send();

    assertThat(r.getContentAsString()).doesNotContain("silver_http");
  }
}

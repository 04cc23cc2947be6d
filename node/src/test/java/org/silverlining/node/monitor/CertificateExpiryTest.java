package org.silverlining.node.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
import org.silverlining.node.tls.StoredCertificate;
import org.silverlining.node.tls.TestCertificates;

/**
 * Real certificates written to a real node's store: their expiry in {@code GET /metrics}, and one
 * alert to a real local webhook when one is about to expire, one more when it is renewed.
 */
class CertificateExpiryTest {

  @TempDir static Path dir;
  static Node node;
  static WebhookReceiver hook;
  static HttpClient http;
  static String token;
  static TestCertificates.Issued ca;

  @BeforeAll
  static void start() throws Exception {
    ca = TestCertificates.ca("Expiry CA");
    hook = WebhookReceiver.start();
    node = TestApps.startNode(dir.resolve("node"));
    token = new Tokens(node.layout().tokensFile()).create("scraper");
    node.globalConfig().change(null, "alert_webhook", hook.url(), "t");
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
    if (hook != null) {
      hook.close();
    }
  }

  /** Serves, under {@code host}, an uploaded certificate that ends {@code left} from now. */
  private static void serve(String host, Duration left) throws Exception {
    Instant now = Instant.now();
    TestCertificates.Issued l =
        TestCertificates.leaf(ca, now.minus(Duration.ofHours(1)), now.plus(left), host);
    node.certificates()
        .store()
        .put(
            new StoredCertificate(
                host, List.of(l.cert(), ca.cert()), l.key(), StoredCertificate.UPLOADED));
  }

  private static long alerts(String host, String state) {
    return hook.posted().stream()
        .filter(a -> a.path("check").asText().equals("certificate"))
        .filter(a -> a.path("location").asText().equals(host))
        .filter(a -> a.path("state").asText().equals(state))
        .count();
  }

  private static double expiry(String host) throws Exception {
    ContentResponse r =
        http.newRequest("127.0.0.1", node.adminPort())
            .path("/metrics")
            .headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + token))
            .send();
    assertThat(r.getStatus()).isEqualTo(200);
    Matcher m =
        Pattern.compile(
                "(?m)^silver_certificate_expiry_seconds\\{host=\""
                    + Pattern.quote(host)
                    + "\",source=\"uploaded\"\\} ([0-9.eE+-]+)$")
            .matcher(r.getContentAsString());
    assertThat(m.find()).as("a sample for " + host).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void theMetricSaysHowLongACertificateHasLeft() throws Exception {
    serve("metric.test", Duration.ofDays(30));
    double left = expiry("metric.test");
    assertThat(left)
        .isLessThanOrEqualTo(Duration.ofDays(30).toSeconds())
        .isGreaterThan(Duration.ofDays(30).minusMinutes(10).toSeconds());
    assertThat(alerts("metric.test", "expiring")).isZero();
  }

  @Test
  void aCertificateAboutToExpireSendsOneAlertAndOneMoreWhenRenewed() throws Exception {
    serve("soon.test", Duration.ofDays(2));
    await().atMost(Duration.ofSeconds(30)).until(() -> alerts("soon.test", "expiring") == 1);
    JsonNode a =
        hook.posted().stream()
            .filter(p -> p.path("location").asText().equals("soon.test"))
            .findFirst()
            .orElseThrow();
    assertThat(a.path("detail").asText()).contains("soon.test").contains("1 day(s)");
    assertThat(expiry("soon.test")).isBetween(86_400.0, 172_800.0);

    // A second one's alert needs two later checks of every certificate: soon.test's among them.
    serve("later.test", Duration.ofDays(3));
    await().atMost(Duration.ofSeconds(30)).until(() -> alerts("later.test", "expiring") == 1);
    assertThat(alerts("soon.test", "expiring")).isEqualTo(1);

    serve("soon.test", Duration.ofDays(90));
    await().atMost(Duration.ofSeconds(30)).until(() -> alerts("soon.test", "ok") == 1);
    serve("other.test", Duration.ofDays(5));
    await().atMost(Duration.ofSeconds(30)).until(() -> alerts("other.test", "expiring") == 1);
    assertThat(alerts("soon.test", "expiring")).isEqualTo(1);
    assertThat(alerts("soon.test", "ok")).isEqualTo(1);
  }
}

package org.silverlining.node.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.Node;
import org.silverlining.node.NodeSettings;
import org.silverlining.node.TestApps;
import org.silverlining.node.layout.NodeLayout;

/**
 * A real node gets, renews and revokes certificates from a real ACME server: Debian's pebble, with
 * pebble-challtestsrv answering its DNS (every name is 127.0.0.1 unless the test says otherwise).
 * Pebble issues certificates valid for {@link #VALIDITY_SECONDS}, so that renewal comes soon.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AcmePebbleTest {
  static final int VALIDITY_SECONDS = 45;
  @TempDir static Path dir;
  static final List<Process> servers = new ArrayList<>();
  static Node node;
  static NodeSettings settings;
  static int dnsManagement;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/pebble"))
            && Files.isExecutable(Path.of("/usr/bin/pebble-challtestsrv")),
        "Debian's pebble is not installed (apt-get install pebble)");
    int acme = freePort();
    int management = freePort();
    int dns = freePort();
    dnsManagement = freePort();
    // pebble's own HTTPS certificate, for 127.0.0.1
    TestCertificates.Issued ca = TestCertificates.ca("pebble server CA");
    TestCertificates.Issued own = TestCertificates.leaf(ca, "localhost");
    Path cert = dir.resolve("pebble-cert.pem");
    Path key = dir.resolve("pebble-key.pem");
    Files.writeString(cert, Pem.write(own.cert()));
    Files.writeString(key, Pem.write(own.key()));
    // pebble's TLS certificate also names 127.0.0.1, but localhost is what the test connects to
    Files.writeString(dir.resolve("ca.pem"), Pem.write(ca.cert()));
    NodeSettings.HostPort any = new NodeSettings.HostPort("127.0.0.1", 0);
    settings =
        new NodeSettings("t", any, any)
            .withHttps(any)
            .withTls(
                new TlsSettings(
                    "https://localhost:" + acme + "/dir",
                    "ops@example.com",
                    dir.resolve("ca.pem")));
    node = Node.start(new NodeLayout(dir.resolve("node")), settings, false);
    Files.writeString(
        dir.resolve("pebble.json"),
        "{\"pebble\": {\"listenAddress\": \"127.0.0.1:"
            + acme
            + "\", \"managementListenAddress\": \"127.0.0.1:"
            + management
            + "\", \"certificate\": \""
            + cert
            + "\", \"privateKey\": \""
            + key
            + "\", \"httpPort\": "
            + node.httpPort()
            + ", \"tlsPort\": "
            + node.httpsPort()
            + ", \"ocspResponderURL\": \"\", \"externalAccountBindingRequired\": false,"
            + " \"certificateValidityPeriod\": "
            + VALIDITY_SECONDS
            + "}}");
    servers.add(
        new ProcessBuilder(
                "pebble-challtestsrv",
                "-dns01",
                "127.0.0.1:" + dns,
                "-http01",
                "",
                "-https01",
                "",
                "-tlsalpn01",
                "",
                "-management",
                "127.0.0.1:" + dnsManagement,
                "-defaultIPv4",
                "127.0.0.1",
                "-defaultIPv6",
                "")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("challtestsrv.log").toFile())
            .start());
    ProcessBuilder pebble =
        new ProcessBuilder(
                "pebble",
                "-config",
                dir.resolve("pebble.json").toString(),
                "-dnsserver",
                "127.0.0.1:" + dns)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("pebble.log").toFile());
    pebble.environment().put("PEBBLE_VA_NOSLEEP", "1");
    pebble.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
    servers.add(pebble.start());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Files.readString(dir.resolve("pebble.log")).contains("Listening on")
                    && Files.readString(dir.resolve("challtestsrv.log"))
                        .contains("Starting management server"));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    servers.forEach(Process::destroy);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  static void deploy(String app, String host) throws Exception {
    Path d = TestApps.echoApp(dir.resolve(app), app, Map.of());
    TestApps.deploy(node, app, host, TestApps.pack(d));
  }

  static Optional<Map<String, Object>> status(String host) {
    return node.certificates().list().stream().filter(m -> host.equals(m.get("host"))).findFirst();
  }

  /** The certificate the front presents for {@code host}, trusted blindly: the test reads it. */
  static X509Certificate presented(String host) throws Exception {
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(
        null,
        new TrustManager[] {
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          }
        },
        null);
    try (SSLSocket s =
        (SSLSocket) c.getSocketFactory().createSocket("127.0.0.1", node.httpsPort())) {
      SSLParameters p = s.getSSLParameters();
      p.setServerNames(List.of(new SNIHostName(host)));
      s.setSSLParameters(p);
      s.startHandshake();
      return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }
  }

  @Test
  @Order(1)
  void aLiveHostGetsACertificateFromTheCaAndItIsServed() throws Exception {
    deploy("shop", "shop.example.com");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> status("shop.example.com").map(m -> m.get("status")).orElse(""),
            "issued"::equals);
    Map<String, Object> m = status("shop.example.com").orElseThrow();
    assertThat(m.get("source")).isEqualTo("acme");
    assertThat((String) m.get("issuer")).containsIgnoringCase("pebble");
    X509Certificate served = presented("shop.example.com");
    assertThat(served.getSubjectAlternativeNames().toString()).contains("shop.example.com");
    assertThat(Files.readString(dir.resolve("node/certs/shop.example.com/certificate.pem")))
        .contains("PRIVATE KEY");
  }

  @Test
  @Order(2)
  void aCertificateIsRenewedWhenAThirdOfItsLifetimeIsLeft() throws Exception {
    BigInteger first = presented("shop.example.com").getSerialNumber();
    await()
        .atMost(Duration.ofSeconds(VALIDITY_SECONDS * 2L))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> !presented("shop.example.com").getSerialNumber().equals(first));
    assertThat(status("shop.example.com").orElseThrow().get("status")).isEqualTo("issued");
  }

  @Test
  @Order(3)
  void aChallengeTheCaCannotReachFailsInItsWordsAndTheHostIsStillServedOverHttp() throws Exception {
    // the CA's DNS sends bad.example.com where the node does not listen
    HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dnsManagement + "/add-a"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"host\": \"bad.example.com.\", \"addresses\": [\"127.0.0.2\"]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    deploy("bad", "bad.example.com");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> String.valueOf(status("bad.example.com").map(m -> m.get("status")).orElse("")),
            s -> s.startsWith("failed: "));
    assertThat((String) status("bad.example.com").orElseThrow().get("status"))
        .containsIgnoringCase("connection refused");
    assertThat(status("bad.example.com").orElseThrow()).containsKey("next_attempt");
    try (java.net.Socket plain = new java.net.Socket("127.0.0.1", node.httpPort())) {
      plain.setSoTimeout(10_000);
      plain
          .getOutputStream()
          .write(
              "GET / HTTP/1.1\r\nHost: bad.example.com\r\nConnection: close\r\n\r\n"
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      assertThat(new String(plain.getInputStream().readAllBytes(), "UTF-8"))
          .startsWith("HTTP/1.1 200");
    }
  }

  @Test
  @Order(4)
  void aRestartServesTheStoredCertificateAtOnce() throws Exception {
    BigInteger before = presented("shop.example.com").getSerialNumber();
    node.close();
    node = Node.start(new NodeLayout(dir.resolve("node")), settings, false);
    assertThat(presented("shop.example.com").getSerialNumber()).isEqualTo(before);
  }

  @Test
  @Order(5)
  void removingAnAcmeCertificateRevokesItAtTheCa() throws Exception {
    Map<String, Object> r = node.certificates().remove("shop.example.com");
    assertThat(r.get("revoked")).isEqualTo("yes");
    assertThat(dir.resolve("node/certs/shop.example.com")).doesNotExist();
  }
}

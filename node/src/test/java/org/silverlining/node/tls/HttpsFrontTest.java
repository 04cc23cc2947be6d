package org.silverlining.node.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.Node;
import org.silverlining.node.NodeSettings;
import org.silverlining.node.TestApps;
import org.silverlining.node.layout.NodeLayout;

/**
 * A real node with an HTTPS listener on a free port, certificates uploaded to it, and real apps
 * behind it; clients are raw sockets so that SNI, ALPN and protocol versions are chosen exactly.
 */
class HttpsFrontTest {
  @TempDir static Path dir;
  static Node node;
  static TestCertificates.Issued ca;
  static TrustManagerFactory trust;

  @BeforeAll
  static void start() throws Exception {
    NodeSettings.HostPort any = new NodeSettings.HostPort("127.0.0.1", 0);
    node =
        Node.start(
            new NodeLayout(dir.resolve("node")),
            new NodeSettings("t", any, any)
                .withHttps(any)
                .withTls(new TlsSettings("off", "", null)),
            false);
    ca = TestCertificates.ca("Front CA");
    deploy("strict", "a.test", "https = redirect\nhsts = 600\n");
    deploy("loose", "b.test", "https = optional\n");
    deploy("later", "c.test", "");
    upload("a.test");
    upload("b.test");
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca.cert());
    HttpsFrontTest.trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    HttpsFrontTest.trust.init(trust);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  static void deploy(String app, String host, String iniLines) throws Exception {
    Path d = TestApps.echoApp(dir.resolve(app), app, Map.of());
    TestApps.write(d, Map.of("app.ini", TestApps.commandIni(app, "python3 app.py", iniLines)));
    TestApps.deploy(node, app, host, TestApps.pack(d));
  }

  static void upload(String host) throws Exception {
    TestCertificates.Issued l = TestCertificates.leaf(ca, host);
    node.certificates().add(host, Pem.write(List.of(l.cert(), ca.cert()), l.key()));
  }

  /**
   * A TLS connection to the front, asking for {@code sni}. Each has a client of its own: a client's
   * cached session would resume without the server choosing a certificate again.
   */
  static SSLSocket tls(String sni, String... alpn) throws Exception {
    SSLContext client = SSLContext.getInstance("TLS");
    client.init(null, trust.getTrustManagers(), null);
    SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", node.httpsPort());
    SSLParameters p = s.getSSLParameters();
    if (sni != null) {
      p.setServerNames(List.of(new SNIHostName(sni)));
    }
    if (alpn.length > 0) {
      p.setApplicationProtocols(alpn);
    }
    s.setSSLParameters(p);
    s.setSoTimeout(10_000);
    s.startHandshake();
    return s;
  }

  /** An HTTP/1.1 exchange on {@code s}, closed after the answer: the whole answer as text. */
  static String exchange(Socket s, String host, String path) throws IOException {
    try (s) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static String plain(String host, String path) throws IOException {
    Socket s = new Socket("127.0.0.1", node.httpPort());
    s.setSoTimeout(10_000);
    return exchange(s, host, path);
  }

  @Test
  void anHttpsRequestReachesTheAppWhichIsToldItCameOverHttps() throws Exception {
    String answer = exchange(tls("a.test"), "a.test", "/x");
    assertThat(answer).startsWith("HTTP/1.1 200");
    assertThat(answer).contains("\"x-forwarded-proto\": \"https\"").contains("proto=https");
  }

  @Test
  void anAppWithHstsSendsItOverHttps() throws Exception {
    assertThat(exchange(tls("a.test"), "a.test", "/"))
        .containsIgnoringCase("Strict-Transport-Security: max-age=600");
  }

  @Test
  void http2IsNegotiatedByAlpnAndHttp11IsKeptForClientsWithoutIt() throws Exception {
    try (SSLSocket s = tls("a.test", "h2", "http/1.1")) {
      assertThat(s.getApplicationProtocol()).isEqualTo("h2");
    }
    try (SSLSocket s = tls("a.test", "http/1.1")) {
      assertThat(s.getApplicationProtocol()).isEqualTo("http/1.1");
    }
  }

  @Test
  void plainHttpToAHostWithACertificateIsRedirectedWithPathAndQuery() throws Exception {
    String answer = plain("a.test", "/env?a=1&b=2");
    assertThat(answer).startsWith("HTTP/1.1 308");
    assertThat(answer).contains("Location: https://a.test:" + node.httpsPort() + "/env?a=1&b=2");
  }

  @Test
  void anOptionalAppIsServedOverPlainHttpToo() throws Exception {
    assertThat(plain("b.test", "/")).startsWith("HTTP/1.1 200");
    assertThat(exchange(tls("b.test"), "b.test", "/")).startsWith("HTTP/1.1 200");
  }

  @Test
  void aCertificateAddedWhileRunningIsServedAtTheNextHandshake() throws Exception {
    assertThat(plain("c.test", "/")).startsWith("HTTP/1.1 200");
    assertThatThrownBy(() -> tls("c.test").close()).isInstanceOf(IOException.class);
    upload("c.test");
    assertThat(exchange(tls("c.test"), "c.test", "/")).startsWith("HTTP/1.1 200");
    assertThat(plain("c.test", "/")).startsWith("HTTP/1.1 308");
  }

  @Test
  void clientsWithoutSniOrWithAnUnknownNameAreRefusedAndOthersStillServed() throws Exception {
    assertThatThrownBy(() -> tls(null).close()).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> tls("unknown.test").close()).isInstanceOf(IOException.class);
    assertThat(exchange(tls("a.test"), "a.test", "/")).startsWith("HTTP/1.1 200");
  }

  @Test
  void plainHttpOnTheTlsPortGetsNoAnswerFromAnAppAndOthersStillServed() throws Exception {
    Socket s = new Socket("127.0.0.1", node.httpsPort());
    s.setSoTimeout(10_000);
    String answer;
    try {
      answer = exchange(s, "a.test", "/");
    } catch (IOException e) {
      answer = "";
    }
    assertThat(answer).doesNotContain("HTTP/1.1 200");
    assertThat(exchange(tls("a.test"), "a.test", "/")).startsWith("HTTP/1.1 200");
  }

  @Test
  void tls10IsRefused() throws Exception {
    Process p =
        new ProcessBuilder(
                "openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + node.httpsPort(),
                "-servername",
                "a.test",
                "-tls1",
                "-cipher",
                "DEFAULT@SECLEVEL=0")
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    assertThat(out).containsIgnoringCase("alert protocol version");
    assertThat(exchange(tls("a.test"), "a.test", "/")).startsWith("HTTP/1.1 200");
  }
}

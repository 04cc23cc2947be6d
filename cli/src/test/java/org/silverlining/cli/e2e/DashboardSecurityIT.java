package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's limits against a real node: a session ends after node.ini's idle timeout, and so
 * does the live log stream it opened, as at logout; failed logins are throttled per client address
 * and per user name (clients on 127.0.0.2 and 127.0.0.3); under an admin listener with TLS ({@code
 * node init --admin-tls}) the session cookie is {@code Secure}.
 */
class DashboardSecurityIT {
  private static final String PASSWORD = "correct horse battery";

  @TempDir static Path dir;
  static TestNode node;

  @BeforeAll
  static void nodeWithAShortIdleTimeout() throws Exception {
    node = TestNode.create(dir.resolve("idle"));
    Files.writeString(
        node.root().resolve("node.ini"),
        "\n[dashboard]\nidle_timeout = 3s\nabsolute_timeout = 1h\n",
        StandardOpenOption.APPEND);
    node.startProcess();
    DashboardIT.addUser(node, "ada", PASSWORD);
    DashboardIT.addUser(node, "mallory", PASSWORD);
    DashboardIT.addUser(node, "grace", PASSWORD);
    node.update(node.copyExample("static-site"), "logs.test", "--name", "logs");
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void anIdleSessionEndsAfterTheIdleTimeoutOfNodeIni() throws Exception {
    try (Browser browser = Browser.start()) {
      browser.login(DashboardIT.dashboard(node), "ada", PASSWORD, null);
      browser.waitFor("main h1");
      assertThat(browser.all("input[name=username]")).isEmpty();

      Thread.sleep(4000); // longer than the idle timeout, without a request

      browser.open(DashboardIT.dashboard(node));
      browser.waitFor("input[name=username]");
    }
  }

  @Test
  void theLiveLogEndsAtLogout() throws Exception {
    String session = loggedIn("grace");
    String csrf = csrfOf(exchange("127.0.0.1", get("/", session)));
    try (Socket stream = openLog(session)) {
      String body = "csrf=" + csrf;
      String logout =
          exchange(
              "127.0.0.1",
              "POST /logout HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie:"
                  + " silver_session="
                  + session
                  + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                  + body.length()
                  + "\r\n\r\n"
                  + body);
      assertThat(logout).startsWith("HTTP/1.1 303");
      // the stream ends by itself (the read would time out otherwise), saying why
      assertThat(restOf(stream)).contains("event: end\ndata: the session has ended");
    }
  }

  @Test
  void theLiveLogEndsWhenTheSessionExpiresAndDoesNotKeepItAlive() throws Exception {
    String session = loggedIn("grace");
    try (Socket stream = openLog(session)) {
      // no other request: the idle timeout (3 s) passes while the stream sends heartbeats
      assertThat(restOf(stream)).contains("event: end");
    }
    assertThat(exchange("127.0.0.1", get("/", session))).startsWith("HTTP/1.1 303");
  }

  @Test
  void underAnAdminListenerWithTlsTheSessionCookieIsSecure() throws Exception {
    try (TestNode tls = TestNode.create(dir.resolve("tls"))) {
      // the documented way: init makes the listener's certificate and pins it for the CLI
      TestNode.Result init =
          tls.silver(
              "node", "init", "--root", tls.root().toString(), "--name", "test", "--admin-tls");
      assertThat(init.exitCode()).as(init.output()).isZero();
      assertThat(Files.readString(tls.root().resolve("node.ini"))).contains("admin_tls = true");
      tls.startProcess();
      DashboardIT.addUser(tls, "ada", PASSWORD);
      java.net.http.HttpClient https = pinnedClient(tls.root().resolve("secrets/admin.pem"));
      String base = "https://127.0.0.1:" + tls.adminPort();

      var form =
          https.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/login")).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      String formCookie = form.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(formCookie).contains("Secure", "HttpOnly", "SameSite=Strict");
      String body =
          "csrf="
              + csrfOf(form.body())
              + "&username=ada&password="
              + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8);
      var login =
          https.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/login"))
                  .header("Cookie", formCookie.substring(0, formCookie.indexOf(';')))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).as(login.body()).isEqualTo(303);
      assertThat(login.headers().firstValue("Set-Cookie").orElseThrow())
          .startsWith("silver_session=")
          .contains("Secure", "HttpOnly", "SameSite=Strict");
    }
  }

  /** An HTTPS client that trusts exactly the certificate in {@code pem} (the node's own). */
  private static java.net.http.HttpClient pinnedClient(Path pem) throws Exception {
    java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry(
        "node", org.silverlining.node.tls.AdminCertificate.load(pem).certificate());
    javax.net.ssl.TrustManagerFactory tmf =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return java.net.http.HttpClient.newBuilder()
        .sslContext(ssl)
        .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
        .build();
  }

  /** Logs {@code user} in from 127.0.0.1; the session cookie's value. */
  private static String loggedIn(String user) throws Exception {
    String answer = postLogin("127.0.0.1", user, PASSWORD);
    assertThat(answer).startsWith("HTTP/1.1 303");
    Matcher cookie = Pattern.compile("(?im)^Set-Cookie: silver_session=([^;]+)").matcher(answer);
    assertThat(cookie.find()).as(answer).isTrue();
    return cookie.group(1);
  }

  private static String get(String path, String session) {
    return "GET "
        + path
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: silver_session="
        + session
        + "\r\n\r\n";
  }

  private static String csrfOf(String page) {
    Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
    assertThat(csrf.find()).as(page).isTrue();
    return csrf.group(1);
  }

  /** Opens the app's live log with {@code session}; returns once the stream has begun. */
  private static Socket openLog(String session) throws Exception {
    Socket s = new Socket("127.0.0.1", node.adminPort());
    s.setSoTimeout(30_000);
    s.getOutputStream().write(get("/apps/logs/log", session).getBytes(StandardCharsets.UTF_8));
    s.getOutputStream().flush();
    StringBuilder head = new StringBuilder();
    InputStream in = s.getInputStream();
    while (!head.toString().contains("retry: 2000")) {
      int b = in.read();
      assertThat(b).as("the stream's beginning: " + head).isNotNegative();
      head.append((char) b);
    }
    assertThat(head).startsWith("HTTP/1.1 200").contains("text/event-stream");
    return s;
  }

  /** What the stream sends until it ends (a read that times out fails the test). */
  private static String restOf(Socket stream) throws Exception {
    return new String(stream.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void tooManyFailedLoginsHoldBackTheClientAndTheUserButNotOthers() throws Exception {
    for (int i = 0; i < 10; i++) {
      assertThat(login("127.0.0.2", "mallory", "guess " + i)).isEqualTo(401);
    }

    assertThat(login("127.0.0.2", "mallory", PASSWORD))
        .as("the right password, too late")
        .isEqualTo(429);
    assertThat(login("127.0.0.3", "mallory", PASSWORD))
        .as("the user from elsewhere")
        .isEqualTo(429);
    assertThat(login("127.0.0.2", "ada", PASSWORD))
        .as("the client for another user")
        .isEqualTo(429);
    assertThat(login("127.0.0.3", "ada", PASSWORD)).as("another client and user").isEqualTo(303);
    DashboardIT.awaitEvents(
        node,
        "bad-login 127.0.0.2 mallory: dashboard: wrong password",
        "rate-limit 127.0.0.2 mallory: dashboard: too many failed logins",
        "rate-limit 127.0.0.3 mallory: dashboard: too many failed logins",
        "rate-limit 127.0.0.2 ada: dashboard: too many failed logins");
  }

  /**
   * Fetches the login form and posts it from {@code source} (a loopback address), as a browser
   * would: the form's session cookie and CSRF token, then the name and password. The status.
   */
  private static int login(String source, String user, String password) throws Exception {
    String answer = postLogin(source, user, password);
    return Integer.parseInt(answer.substring(9, 12));
  }

  /** The login form fetched and posted from {@code source}; the whole answer. */
  private static String postLogin(String source, String user, String password) throws Exception {
    String form =
        exchange(source, "GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    Matcher cookie = Pattern.compile("(?im)^Set-Cookie: silver_session=([^;]+)").matcher(form);
    Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(form);
    assertThat(cookie.find() && csrf.find()).as(form).isTrue();
    String body =
        "csrf="
            + csrf.group(1)
            + "&username="
            + URLEncoder.encode(user, StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(password, StandardCharsets.UTF_8);
    String answer =
        exchange(
            source,
            "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Cookie: silver_session="
                + cookie.group(1)
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                + body.length()
                + "\r\n\r\n"
                + body);
    return answer;
  }

  /** Sends {@code request} from {@code source} to the node's admin listener; the whole answer. */
  private static String exchange(String source, String request) throws Exception {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(source, 0));
      s.connect(new InetSocketAddress("127.0.0.1", node.adminPort()), 5000);
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

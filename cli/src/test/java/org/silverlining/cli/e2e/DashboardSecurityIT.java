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
 * The dashboard's limits against a real node: a session ends after node.ini's idle timeout; failed
 * logins are throttled per client address and per user name (clients on 127.0.0.2 and 127.0.0.3).
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
    return Integer.parseInt(answer.substring(9, 12));
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

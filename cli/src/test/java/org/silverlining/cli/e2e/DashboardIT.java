package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Cookie;
import org.silverlining.node.secret.Totp;

/**
 * The dashboard in a real browser (headless Chromium) against a real node: admin users made with
 * {@code silver admin-user}, login with a wrong and a right password and with a TOTP code, the
 * overview listing the deployed app, logout, the idle timeout, and POSTs without the session's CSRF
 * token refused with 403 and written to the security log.
 */
class DashboardIT {
  private static final String PASSWORD = "correct horse battery";
  private static final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  @TempDir static Path dir;
  static TestNode node;
  static Browser browser;

  @BeforeAll
  static void nodeWithAnAppAndAnAdmin() throws Exception {
    node = TestNode.start(dir.resolve("main"));
    node.update(node.copyExample("static-site"), "dash.test", "--name", "dash");
    addUser(node, "ada", PASSWORD);
    browser = Browser.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (node != null) {
      node.close();
    }
  }

  static TestNode.Result addUser(TestNode n, String name, String password, String... more)
      throws Exception {
    List<String> args =
        new java.util.ArrayList<>(List.of("admin-user", "add", name, "--password-stdin"));
    args.addAll(List.of(more));
    TestNode.Result r = n.run(args, password + "\n");
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r;
  }

  static String dashboard(TestNode n) {
    return "http://127.0.0.1:" + n.adminPort() + "/";
  }

  @Test
  void aWrongPasswordOrUserIsRefusedWithoutSayingWhichAndLogged() throws Exception {
    browser.driver().manage().deleteAllCookies();
    browser.login(dashboard(node), "ada", "not the password", null);
    assertThat(browser.all("[data-app]")).isEmpty();
    assertThat(browser.all("input[name=password]")).hasSize(1);
    String wrongPassword = browser.waitFor("[role=alert]").getText();

    browser.submitLogin("nobody", PASSWORD, null);
    assertThat(browser.all("[data-app]")).isEmpty();
    assertThat(browser.waitFor("[role=alert]").getText()).isEqualTo(wrongPassword);
    assertThat(wrongPassword).isEqualTo("The user name, password or code is not right.");

    awaitEvents(
        node,
        "bad-login 127.0.0.1 ada: dashboard: wrong password",
        "bad-login 127.0.0.1 nobody: dashboard: unknown user");
    assertThat(securityLog(node) + nodeLog(node)).doesNotContain("not the password", PASSWORD);
  }

  @Test
  void theRightPasswordShowsTheOverviewWithTheAppInAnHttpOnlyStrictSession() throws Exception {
    browser.driver().manage().deleteAllCookies();
    browser.login(dashboard(node), "ada", PASSWORD, null);

    var app = browser.waitFor("[data-app=\"dash\"]");
    assertThat(app.getAttribute("href")).endsWith("/apps/dash");
    assertThat(browser.text()).contains("Overview", "dash.test", "running", "Capacity:");
    assertThat(browser.all("svg[data-graph=requests]")).isNotEmpty();
    Cookie session = browser.cookie("silver_session");
    assertThat(session).isNotNull();
    assertThat(session.isHttpOnly()).isTrue();
    assertThat(session.getSameSite()).isEqualTo("Strict");
    assertThat(session.isSecure()).isFalse(); // plain HTTP on loopback; Secure under TLS

    HttpResponse<String> page = get(node, "/", session.getValue());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .startsWith("default-src 'self'");
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(page.headers().firstValue("Referrer-Policy")).isPresent();
    assertThat(page.body()).doesNotContain("<script>", "style=");
  }

  @Test
  void logoutEndsTheSession() throws Exception {
    browser.driver().manage().deleteAllCookies();
    browser.login(dashboard(node), "ada", PASSWORD, null);
    browser.waitFor("[data-app]");
    String before = browser.cookie("silver_session").getValue();

    browser.waitFor("form.logout button").click();

    browser.waitFor("input[name=username]");
    HttpResponse<String> old = get(node, "/", before);
    assertThat(old.statusCode()).isEqualTo(303);
    assertThat(old.headers().firstValue("Location").orElseThrow()).endsWith("/login");
    assertThat(nodeLog(node)).contains("dashboard: ada logged out from 127.0.0.1");
  }

  @Test
  void aPostWithoutTheSessionsCsrfTokenIsRefusedAndLogged() throws Exception {
    browser.driver().manage().deleteAllCookies();
    browser.login(dashboard(node), "ada", PASSWORD, null);
    browser.waitFor("[data-app]");
    String session = browser.cookie("silver_session").getValue();

    HttpResponse<String> without = post(node, "/logout", session, "");
    HttpResponse<String> wrong = post(node, "/logout", session, "csrf=not-the-token");
    HttpResponse<String> noSession = post(node, "/logout", null, "");

    assertThat(without.statusCode()).isEqualTo(403);
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(noSession.statusCode()).isEqualTo(403);
    assertThat(get(node, "/", session).statusCode()).as("the session lives on").isEqualTo(200);
    awaitEvents(
        node,
        "refused 127.0.0.1 -: dashboard: POST /logout without a CSRF token",
        "refused 127.0.0.1 -: dashboard: POST /logout with a wrong CSRF token",
        "refused 127.0.0.1 -: dashboard: POST /logout without a logged-in session");
  }

  @Test
  void aUserWithTotpLogsInWithTheCodeOfTheirAuthenticatorOnce() throws Exception {
    TestNode.Result added = addUser(node, "grace", PASSWORD, "--totp");
    Matcher m = Pattern.compile("otpauth://totp/\\S+").matcher(added.stdout());
    assertThat(m.find()).as(added.stdout()).isTrue();
    URI uri = URI.create(m.group());
    String secret = query(uri, "secret");
    assertThat(query(uri, "issuer")).isEqualTo("Silver Lining");
    TestNode.Result list = node.silver("admin-user", "list", "--json");
    assertThat(list.stdout())
        .contains("\"grace\"", "\"totp\" : true")
        .doesNotContain(secret, "pbkdf2");

    browser.driver().manage().deleteAllCookies();
    browser.login(
        dashboard(node), "grace", PASSWORD, "000000".equals(code(secret)) ? "111111" : "000000");
    assertThat(browser.all("[data-app]")).isEmpty();
    browser.submitLogin("grace", PASSWORD, null);
    assertThat(browser.all("[data-app]")).isEmpty();

    browser.submitLogin("grace", PASSWORD, code(secret));
    browser.waitFor("[data-app=\"dash\"]");
    awaitEvents(node, "bad-login 127.0.0.1 grace: dashboard: wrong code");
  }

  @Test
  void adminUserRefusesBadInputSayingWhatAndChangesNothing() throws Exception {
    TestNode.Result shortPassword =
        node.run(List.of("admin-user", "add", "bob", "--password-stdin"), "short\n");
    TestNode.Result badName =
        node.run(List.of("admin-user", "add", "bob smith", "--password-stdin"), PASSWORD + "\n");
    TestNode.Result twice =
        node.run(List.of("admin-user", "add", "ada", "--password-stdin"), "another password 123\n");
    TestNode.Result noInput = node.run(List.of("admin-user", "add", "bob", "--password-stdin"), "");
    TestNode.Result unknown = node.silver("admin-user", "remove", "nobody");

    assertThat(shortPassword.exitCode()).isNotZero();
    assertThat(shortPassword.output()).contains("10 to 1024 characters").doesNotContain("short\n");
    assertThat(badName.output()).contains("name is 1 to 64 letters");
    assertThat(twice.output()).contains("there is an admin user 'ada' already");
    assertThat(noInput.output()).contains("--password-stdin: standard input has no password");
    assertThat(unknown.output()).contains("there is no admin user 'nobody'");
    String list = node.silver("admin-user", "list").stdout();
    assertThat(list).contains("ada").doesNotContain("bob");
    browser.driver().manage().deleteAllCookies();
    browser.login(dashboard(node), "ada", PASSWORD, null);
    browser.waitFor("[data-app]"); // the first password still works
  }

  @Test
  void onAPhoneTheOverviewFitsTheScreenAndTheAppIsThere() throws Exception {
    try (Browser phone = Browser.start(390)) {
      phone.login(dashboard(node), "ada", PASSWORD, null);
      var app = phone.waitFor("[data-app=\"dash\"]");
      assertThat(app.isDisplayed()).isTrue();
      long page =
          ((Number) phone.script("return document.documentElement.scrollWidth")).longValue();
      long screen = ((Number) phone.script("return window.innerWidth")).longValue();
      assertThat(screen).as("a phone's width").isEqualTo(390);
      assertThat(page).as("no sideways scrolling").isLessThanOrEqualTo(screen);
      phone.screenshot(dir.resolve("overview-phone.png"));
    }
  }

  @Test
  void theKeyboardReachesTheContentAndEveryInputHasALabel() throws Exception {
    browser.driver().manage().deleteAllCookies();
    browser.open(dashboard(node));
    browser.waitFor("input[name=username]");
    for (var input : browser.all("input:not([type=hidden])")) {
      String id = input.getAttribute("id");
      assertThat(browser.all("label[for=\"" + id + "\"]")).as("a label for #%s", id).hasSize(1);
    }
    browser.submitLogin("ada", PASSWORD, null);
    browser.waitFor("[data-app]");
    assertThat(browser.all("header nav[aria-label]")).hasSize(1);
    assertThat(browser.all("main#main h1")).hasSize(1);
    assertThat(browser.all("footer")).hasSize(1);

    browser.script("document.activeElement.blur()");
    browser.press(org.openqa.selenium.Keys.TAB);
    assertThat(browser.focused().getText()).isEqualTo("Skip to content");
    browser.press(org.openqa.selenium.Keys.ENTER);
    assertThat(browser.focused().getAttribute("id")).isEqualTo("main");
    browser.press(org.openqa.selenium.Keys.TAB);
    assertThat(browser.focused().getAttribute("data-app")).isEqualTo("dash");
  }

  private static String code(String base32) {
    return Totp.code(Totp.fromBase32(base32), Totp.step(System.currentTimeMillis() / 1000));
  }

  private static String query(URI uri, String name) {
    for (String pair : uri.getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv[0].equals(name)) {
        return URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
      }
    }
    throw new AssertionError("no " + name + " in " + uri);
  }

  /** Waits (the security log writes on a thread of its own) until it holds {@code events}. */
  static void awaitEvents(TestNode n, String... events) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(securityEvents(n)).contains(events));
  }

  static String nodeLog(TestNode n) throws Exception {
    return Files.readString(n.root().resolve("logs/node.log"));
  }

  static String securityLog(TestNode n) throws Exception {
    Path file = n.root().resolve("logs/security.log");
    return Files.exists(file) ? Files.readString(file) : "";
  }

  /** The events of the node's security log as {@code KIND CLIENT USER: DETAIL}. */
  static List<String> securityEvents(TestNode n) throws Exception {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String line : securityLog(n).split("\n")) {
      if (!line.isBlank()) {
        com.fasterxml.jackson.databind.JsonNode e = JSON.readTree(line);
        out.add(
            e.path("kind").asText()
                + " "
                + e.path("client").asText()
                + " "
                + (e.hasNonNull("user") ? e.get("user").asText() : "-")
                + ": "
                + e.path("detail").asText());
      }
    }
    return out;
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  static HttpResponse<String> get(TestNode n, String path, String session) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(dashboard(n) + path.substring(1)));
    if (session != null) {
      b.header("Cookie", "silver_session=" + session);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(TestNode n, String path, String session, String form)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(dashboard(n) + path.substring(1)))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (session != null) {
      b.header("Cookie", "silver_session=" + session);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}

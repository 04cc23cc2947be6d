package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/guestbook} as the quickstart and the docs present it: on SQLite as it comes, on
 * PostgreSQL by changing one line of its app.ini, and below a path prefix. Entries go in through
 * the page's form, as a browser posts it.
 */
class GuestbookIT {
  @TempDir static Path dir;
  static TestNode node;

  /** App names whose PostgreSQL database and role this run made, to drop at the end. */
  private static final List<String> MADE = new ArrayList<>();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void startNode() throws Exception {
    assertThat(TestNode.PROJECT.resolve("examples/guestbook/target/guestbook.jar"))
        .as("the guestbook is built by the project's build (mvn package)")
        .isRegularFile();
    node = TestNode.start(dir);
  }

  @AfterAll
  static void stopNodeAndDropWhatTheRunMade() throws Exception {
    if (node != null) {
      node.close();
    }
    for (String app : MADE) {
      ServicesIT.Servers.drop(app.replace('-', '_'), app + ":");
    }
  }

  @Test
  void anEntryPostedThroughTheFormIsShownEscapedAndSurvivesARedeploy() throws Exception {
    Path app = node.copyExample("guestbook");
    update(app, "gb.test");
    assertThat(page("gb.test", "/")).contains("No entries yet");

    HttpResponse<String> posted = post("gb.test", "/", "Ann", "<b>bold</b> & more");

    assertThat(posted.statusCode()).isEqualTo(303);
    assertThat(posted.headers().firstValue("Location")).hasValue("/");
    String page = page("gb.test", "/");
    assertThat(page).contains("<b>Ann</b>: &lt;b&gt;bold&lt;/b&gt; &amp; more");
    assertThat(page).doesNotContain("<b>bold</b>").doesNotContain("No entries yet");
    assertThat(node.root().resolve("apps/guestbook/sqlite/guestbook.db")).isNotEmptyFile();

    update(app, "gb.test");

    assertThat(page("gb.test", "/")).contains("<b>Ann</b>: &lt;b&gt;bold&lt;/b&gt; &amp; more");
  }

  @Test
  void switchingItsServiceLineToPostgresqlKeepsTheEntriesInTheAppsOwnDatabase() throws Exception {
    ServicesIT.Servers.postgresql();
    String name = made("gbpg-" + ServicesIT.RUN);
    Path app = node.copyExample("guestbook");
    Path ini = app.resolve("app.ini");
    String config = Files.readString(ini);
    assertThat(config).contains("\nservice.sqlite =\n");
    Files.writeString(ini, config.replace("\nservice.sqlite =\n", "\nservice.postgresql =\n"));
    update(app, "gbpg.test", "--name", name);

    HttpResponse<String> posted = post("gbpg.test", "/", "Bob", "stored in PostgreSQL");

    assertThat(posted.statusCode()).isEqualTo(303);
    assertThat(page("gbpg.test", "/")).contains("<b>Bob</b>: stored in PostgreSQL");
    String db = name.replace('-', '_');
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/" + db + "?user=postgres");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT name, message FROM entries")) {
      assertThat(rs.next()).as("a row in %s.entries", db).isTrue();
      assertThat(rs.getString(1) + ": " + rs.getString(2)).isEqualTo("Bob: stored in PostgreSQL");
      assertThat(rs.next()).isFalse();
    }
    assertThat(node.root().resolve("apps").resolve(name).resolve("sqlite")).doesNotExist();
  }

  @Test
  void atALocationWithAPathTheFormAndItsRedirectStayBelowThePath() throws Exception {
    update(node.copyExample("guestbook"), "gbp.test/book", "--name", "gbpath");

    assertThat(page("gbp.test", "/book/")).contains("<form method=\"post\" action=\"/book/\">");
    HttpResponse<String> posted = post("gbp.test", "/book/", "Cy", "below the path");

    assertThat(posted.statusCode()).isEqualTo(303);
    assertThat(posted.headers().firstValue("Location")).hasValue("/book/");
    assertThat(page("gbp.test", "/book/")).contains("<b>Cy</b>: below the path");
    assertThat(page("gbp.test", "/book")).contains("<b>Cy</b>: below the path");
  }

  private static void update(Path app, String location, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("update", app.toString(), location));
    args.addAll(List.of(more));
    TestNode.Result r = node.run(args, null);
    assertThat(r.exitCode()).as("silver %s%n%s", args, r.output()).isZero();
  }

  private static String made(String app) {
    MADE.add(app);
    return app;
  }

  /** The page at {@code path}, which must answer 200 with HTML. */
  private String page(String host, String path) throws Exception {
    HttpResponse<String> r =
        http.send(request(host, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s%s: %s", host, path, r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    return r.body();
  }

  /** Posts the form as a browser does. */
  private HttpResponse<String> post(String host, String path, String name, String message)
      throws Exception {
    String form =
        "name="
            + URLEncoder.encode(name, StandardCharsets.UTF_8)
            + "&message="
            + URLEncoder.encode(message, StandardCharsets.UTF_8);
    return http.send(
        request(host, path)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A request to the node's front with {@code Host: host}; redirects are not followed. */
  private static HttpRequest.Builder request(String host, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
        .header("Host", host)
        .timeout(Duration.ofSeconds(30));
  }
}

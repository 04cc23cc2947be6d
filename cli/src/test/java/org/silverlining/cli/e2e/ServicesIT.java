package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.service.PostgresService;

/**
 * The services of docs/services.md as a new user meets them: an app that asks for every service at
 * once, deployed to a real node that provisions them on the machine's real PostgreSQL, MariaDB and
 * Redis; {@code silver clear}, {@code silver test} and {@code silver serve} with {@code [devel]}
 * overrides; and the faults (an unknown service, a server that does not answer).
 *
 * <p>Tests that need a database server skip, saying which and why, when it does not answer on its
 * default port, unless {@code CI=true}, where they fail. Databases, roles and users get names
 * unique to the run, and are dropped at the end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServicesIT {
  /**
   * The test app: Python's standard library only. It shows its environment at {@code /env}, writes
   * and reads files below {@code CONFIG_FILES} ({@code root=files}) or {@code CONFIG_WRITABLE_ROOT}
   * ({@code root=writable}), makes links there, and keeps notes in its SQLite database.
   */
  static final String APP_PY =
      """
      import json
      import os
      import signal
      import sqlite3
      import sys
      from socketserver import ThreadingMixIn
      from urllib.parse import parse_qs
      from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

      ROOTS = {"files": "CONFIG_FILES", "writable": "CONFIG_WRITABLE_ROOT"}


      def app(environ, start_response):
          path = environ.get("PATH_INFO") or "/"
          q = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
          if path == "/ping":
              return respond(start_response, "200 OK", "ok\\n")
          if path == "/env":
              return respond(start_response, "200 OK", json.dumps(dict(os.environ)))
          if path in ("/write", "/read", "/link"):
              target = os.path.join(os.environ[ROOTS[q["root"]]], q["path"])
              if path == "/read":
                  if not os.path.isfile(target):
                      return respond(start_response, "404 Not Found", "no file %s\\n" % target)
                  with open(target) as f:
                      return respond(start_response, "200 OK", f.read())
              os.makedirs(os.path.dirname(target), exist_ok=True)
              if path == "/link":
                  os.symlink(q["to"], target)
              else:
                  with open(target, "w") as f:
                      f.write(q.get("content", ""))
              return respond(start_response, "200 OK", "wrote %s\\n" % target)
          if path == "/notes":
              db = sqlite3.connect(os.environ["CONFIG_SQLITE_PATH"])
              try:
                  db.execute("CREATE TABLE IF NOT EXISTS notes (note TEXT)")
                  if "add" in q:
                      db.execute("INSERT INTO notes VALUES (?)", (q["add"],))
                      db.commit()
                  notes = [row[0] for row in db.execute("SELECT note FROM notes")]
              finally:
                  db.close()
              return respond(start_response, "200 OK", json.dumps(notes))
          return respond(start_response, "404 Not Found", "not found: %s\\n" % path)


      def respond(start_response, status, body):
          data = body.encode("utf-8")
          start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                                  ("Content-Length", str(len(data)))])
          return [data]


      class Server(ThreadingMixIn, WSGIServer):
          daemon_threads = True


      class Quiet(WSGIRequestHandler):
          def log_message(self, format, *args):
              pass


      signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
      make_server("127.0.0.1", int(os.environ["PORT"]), app, server_class=Server,
                  handler_class=Quiet).serve_forever()
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Makes the names of this run's databases, roles and users its own. */
  static final String RUN = Long.toString(System.currentTimeMillis() % 2_000_000_000L, 36);

  @TempDir static Path dir;
  static TestNode node;

  /** App names whose databases, roles and users this run made, to drop at the end. */
  private static final List<String> MADE = new ArrayList<>();

  private static final String EVERY = "every-" + RUN;
  private static final String EVERY_HOST = "every.test";
  private static Path everyApp;
  private static Map<String, String> everyEnv;

  @BeforeAll
  static void startNode() throws Exception {
    node = TestNode.start(dir);
  }

  @AfterAll
  static void stopNodeAndDropWhatTheRunMade() throws Exception {
    if (node != null) {
      node.close();
    }
    for (String app : MADE) {
      Servers.drop(app.replace('-', '_'), app + ":");
    }
  }

  @Test
  void anAppWithEveryServiceGetsEveryVariableTheDocsList() throws Exception {
    Map<String, String> env = everything();

    assertThat(documentedVariables())
        .hasSizeGreaterThanOrEqualTo(20)
        .allSatisfy(v -> assertThat(env.get(v)).as(v).isNotBlank());
    String db = EVERY.replace('-', '_');
    Path appDir = node.root().resolve("apps").resolve(EVERY);
    assertThat(env)
        .containsEntry("CONFIG_FILES", appDir.resolve("files").toString())
        .containsEntry("CONFIG_WRITABLE_ROOT", appDir.resolve("writable-root").toString())
        .containsEntry("CONFIG_SQLITE_JDBC_URL", "jdbc:sqlite:" + env.get("CONFIG_SQLITE_PATH"))
        .containsEntry("CONFIG_PG_DBNAME", db)
        .containsEntry("CONFIG_PG_USER", db)
        .containsEntry("CONFIG_PG_HOST", "127.0.0.1")
        .containsEntry("CONFIG_PG_PORT", "5432")
        .containsEntry("CONFIG_MYSQL_DBNAME", db)
        .containsEntry("CONFIG_MYSQL_USERNAME", db)
        .containsEntry("CONFIG_MYSQL_PORT", "3306")
        .containsEntry("CONFIG_REDIS_PREFIX", EVERY + ":")
        .containsEntry("CONFIG_REDIS_USER", db)
        .containsEntry("CONFIG_REDIS_PORT", "6379");
    assertThat(env.get("CONFIG_PG_PASSWORD")).matches("[0-9a-f]{48}");
    assertThat(env.get("CONFIG_MYSQL_PASSWORD")).matches("[0-9a-f]{48}");
    assertThat(env.get("CONFIG_REDIS_PASSWORD")).matches("[0-9a-f]{48}");
    assertThat(env.get("CONFIG_PG_URL"))
        .isEqualTo(
            "postgresql://" + db + ":" + env.get("CONFIG_PG_PASSWORD") + "@127.0.0.1:5432/" + db);
    assertThat(Path.of(env.get("CONFIG_SQLITE_PATH"))).isRegularFile();
    assertThat(Path.of(env.get("CONFIG_FILES"))).isDirectory();
  }

  @Test
  void aFileWrittenToConfigFilesSurvivesASecondDeploy() throws Exception {
    Map<String, String> env = everything();
    assertThat(call("/write?root=files&path=notes/kept.txt&content=" + enc("kept across deploys")))
        .startsWith("wrote ");

    String second = TestNode.liveInstance(node.update(everyApp, EVERY_HOST));

    assertThat(second).isNotEqualTo(env.get("SILVER_INSTANCE_NAME"));
    assertThat(env(EVERY_HOST).get("SILVER_INSTANCE_NAME")).isEqualTo(second);
    assertThat(call("/read?root=files&path=notes/kept.txt")).isEqualTo("kept across deploys");
    assertThat(Path.of(env.get("CONFIG_FILES"), "notes/kept.txt"))
        .hasContent("kept across deploys");
    assertThat(get(EVERY_HOST, "/notes/kept.txt").statusCode())
        .as("CONFIG_FILES is not served")
        .isEqualTo(404);
  }

  @Test
  void theFrontServesTheWritableRootPreferringTheRequestsHostFolderAndIndexHtml() throws Exception {
    everything();
    call("/write?root=writable&path=shared.txt&content=" + enc("for every host"));
    call("/write?root=writable&path=greeting.txt&content=" + enc("shared greeting"));
    call("/write?root=writable&path=" + EVERY_HOST + "/greeting.txt&content=" + enc("per host"));
    call("/write?root=writable&path=docs/index.html&content=" + enc("<h1>docs</h1>"));

    DeployIT.Answer shared = get(EVERY_HOST, "/shared.txt");
    assertThat(shared.statusCode()).isEqualTo(200);
    assertThat(shared.body()).isEqualTo("for every host");
    assertThat(get(EVERY_HOST, "/greeting.txt").body()).isEqualTo("per host");
    DeployIT.Answer index = get(EVERY_HOST, "/docs/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.body()).isEqualTo("<h1>docs</h1>");
    assertThat(index.header("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
  }

  @Test
  void aLinkInTheWritableRootToAFileOutsideItIsNotServed() throws Exception {
    Path root = Path.of(everything().get("CONFIG_WRITABLE_ROOT"));
    call("/link?root=writable&path=passwd&to=/etc/passwd");
    call("/link?root=writable&path=" + EVERY_HOST + "/etc&to=/etc");
    try {
      for (String path : List.of("/passwd", "/etc/passwd")) {
        DeployIT.Answer answer = get(EVERY_HOST, path);
        assertThat(answer.body()).as(path).doesNotContain("root:");
        assertThat(answer.statusCode()).as(path).isEqualTo(404);
        assertThat(answer.body()).as("the app answered " + path).startsWith("not found");
      }
      // A backup keeps the links as they are, listed beside the tree, without following them.
      Path backup = dir.resolve("links-backup");
      TestNode.Result b = node.silver("backup", EVERY_HOST, backup.toString());
      assertThat(b.exitCode()).as(b.output()).isZero();
      assertThat(Files.readAllLines(backup.resolve("writable_root.links.jsonl")))
          .containsExactly(
              "{\"path\":\"" + EVERY_HOST + "/etc\",\"target\":\"/etc\"}",
              "{\"path\":\"passwd\",\"target\":\"/etc/passwd\"}");
      assertThat(backup.resolve("writable_root/passwd")).doesNotExist();
    } finally {
      // The app is shared with the other tests: its writable root goes back as it was.
      Files.deleteIfExists(root.resolve("passwd"));
      Files.deleteIfExists(root.resolve(EVERY_HOST).resolve("etc"));
    }
  }

  @Test
  void thePostgresqlCredentialsWorkAndAnotherAppsRoleCannotOpenTheDatabase() throws Exception {
    Map<String, String> env = everything();
    try (Connection c = DriverManager.getConnection(env.get("CONFIG_PG_JDBC_URL"));
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS visits (n int)");
      st.execute("INSERT INTO visits VALUES (1)");
      assertThat(one(st, "SELECT current_user || '@' || current_database()"))
          .isEqualTo(env.get("CONFIG_PG_USER") + "@" + env.get("CONFIG_PG_DBNAME"));
    }

    Map<String, String> other = intruder();
    String url =
        "jdbc:postgresql://127.0.0.1:5432/"
            + env.get("CONFIG_PG_DBNAME")
            + "?user="
            + other.get("CONFIG_PG_USER")
            + "&password="
            + other.get("CONFIG_PG_PASSWORD");
    assertThatThrownBy(() -> DriverManager.getConnection(url).close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("permission denied for database");
    try (Connection c = DriverManager.getConnection(other.get("CONFIG_PG_JDBC_URL"))) {
      assertThat(c.isValid(5)).as("the other app reaches its own database").isTrue();
    }
  }

  @Test
  void theMysqlCredentialsWorkAndAnotherAppsUserCannotOpenTheDatabase() throws Exception {
    Map<String, String> env = everything();
    try (Connection c = DriverManager.getConnection(env.get("CONFIG_MYSQL_JDBC_URL"));
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS visits (n int)");
      st.execute("INSERT INTO visits VALUES (1)");
      assertThat(one(st, "SELECT DATABASE()")).isEqualTo(env.get("CONFIG_MYSQL_DBNAME"));
    }

    Map<String, String> other = intruder();
    String url =
        "jdbc:mariadb://127.0.0.1:3306/"
            + env.get("CONFIG_MYSQL_DBNAME")
            + "?user="
            + other.get("CONFIG_MYSQL_USERNAME")
            + "&password="
            + other.get("CONFIG_MYSQL_PASSWORD");
    assertThatThrownBy(() -> DriverManager.getConnection(url).close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("Access denied");
  }

  @Test
  void theRedisUserMaySetKeysUnderItsPrefixOnly() throws Exception {
    Map<String, String> env = everything();
    String prefix = env.get("CONFIG_REDIS_PREFIX");
    try (Redis redis = Redis.open()) {
      assertThat(redis.call("AUTH", env.get("CONFIG_REDIS_USER"), env.get("CONFIG_REDIS_PASSWORD")))
          .isEqualTo("OK");

      assertThat(redis.call("SET", prefix + "key", "mine")).isEqualTo("OK");
      assertThat(redis.call("GET", prefix + "key")).isEqualTo("mine");
      assertThat(redis.call("SET", "otherkey", "theirs")).startsWith("-NOPERM");
      assertThat(redis.call("GET", "other-app:key")).startsWith("-NOPERM");
      assertThat(redis.call("KEYS", "*")).startsWith("-NOPERM");
      assertThat(redis.call("FLUSHALL")).startsWith("-NOPERM");
      assertThat(redis.call("DEL", prefix + "key")).isEqualTo("1");
    }
    try (Redis redis = Redis.open()) {
      assertThat(redis.call("AUTH", env.get("CONFIG_REDIS_USER"), "not-the-password"))
          .startsWith("-WRONGPASS");
    }
  }

  @Test
  void clearAsksFirstChangesNothingOnNoAndEmptiesEveryServiceOnYes() throws Exception {
    Map<String, String> env = everything();
    String prefix = env.get("CONFIG_REDIS_PREFIX");
    call("/write?root=files&path=data.txt&content=private");
    call("/write?root=writable&path=public.txt&content=public");
    call("/notes?add=remember");
    sql(env.get("CONFIG_PG_JDBC_URL"), "CREATE TABLE IF NOT EXISTS cleared (n int)");
    sql(env.get("CONFIG_PG_JDBC_URL"), "INSERT INTO cleared VALUES (1)");
    sql(env.get("CONFIG_MYSQL_JDBC_URL"), "CREATE TABLE IF NOT EXISTS cleared (n int)");
    redis(env, "SET", prefix + "cleared", "1");

    TestNode.Result no = node.run(List.of("clear", EVERY_HOST), "n\n");

    assertThat(no.stdout()).contains("Delete all data of the app at " + EVERY_HOST);
    assertThat(no.stdout()).contains("Nothing was changed");
    assertThat(no.exitCode()).isNotZero();
    assertThat(call("/read?root=files&path=data.txt")).isEqualTo("private");
    assertThat(get(EVERY_HOST, "/public.txt").body()).isEqualTo("public");
    assertThat(call("/notes")).contains("remember");
    assertThat(pgTableExists(env, "cleared")).isTrue();
    assertThat(mysqlTables(env)).contains("cleared");
    assertThat(redis(env, "GET", prefix + "cleared")).isEqualTo("1");

    TestNode.Result yes = node.silver("clear", EVERY_HOST, "--yes");

    assertThat(yes.exitCode()).as(yes.output()).isZero();
    assertThat(yes.stdout())
        .contains("Cleared", "files", "writable_root", "sqlite", "postgresql", "mysql", "redis");
    assertThat(Path.of(env.get("CONFIG_FILES"))).isEmptyDirectory();
    assertThat(Path.of(env.get("CONFIG_WRITABLE_ROOT"))).isEmptyDirectory();
    assertThat(get(EVERY_HOST, "/public.txt").statusCode()).isEqualTo(404);
    assertThat(call("/notes")).isEqualTo("[]");
    assertThat(pgTableExists(env, "cleared")).isFalse();
    assertThat(pgTableExists(env, "visits")).isFalse();
    assertThat(mysqlTables(env)).isEmpty();
    assertThat(redis(env, "EXISTS", prefix + "cleared")).isEqualTo("0");
    // The app keeps its services, with the same credentials, and can start again at once.
    sql(env.get("CONFIG_PG_JDBC_URL"), "CREATE TABLE after_clear (n int)");
    sql(env.get("CONFIG_MYSQL_JDBC_URL"), "CREATE TABLE after_clear (n int)");
    assertThat(redis(env, "SET", prefix + "after", "1")).isEqualTo("OK");
    assertThat(call("/write?root=files&path=again.txt&content=x")).startsWith("wrote");
  }

  @Test
  void anUnknownServiceFailsTheUpdateNamingTheKnownOnesAndTheOldInstanceKeepsServing()
      throws Exception {
    Path app = writeApp("plain", "service.files =");
    String old = TestNode.liveInstance(node.update(app, "plain.test"));
    Files.writeString(
        app.resolve("app.ini"), Files.readString(app.resolve("app.ini")) + "service.nosuch =\n");

    TestNode.Result r = node.silver("update", app.toString(), "plain.test");

    assertThat(r.exitCode()).as(r.output()).isNotZero();
    assertThat(r.output()).contains("unknown service 'nosuch'");
    assertThat(r.output())
        .contains("files", "mysql", "postgis", "postgresql", "redis", "sqlite", "writable_root");
    assertThat(env("plain.test").get("SILVER_INSTANCE_NAME")).isEqualTo(old);
  }

  @Test
  void silverTestRunsTheTestCommandOnThrowAwayServicesAndExitsWithItsCode() throws Exception {
    Servers.postgresql();
    Servers.redis();
    Servers.command("psql");
    String name = made("tested-" + RUN);
    String db = "test_" + name.replace('-', '_');
    Path app =
        writeApp(
            name,
            "service.files =",
            "service.sqlite =",
            "service.postgresql =",
            "service.redis =",
            "test_command = sh check.sh");
    Files.writeString(
        app.resolve("check.sh"),
        """
        env | grep '^CONFIG_' | sort
        test -d "$CONFIG_FILES" && echo "the files folder is there"
        psql "$CONFIG_PG_URL" -v ON_ERROR_STOP=1 -tAc "select 'connected to ' || current_database()" || exit 9
        exit 3
        """);

    TestNode.Result r = node.silver("test", app.toString());

    assertThat(r.exitCode()).as(r.output()).isEqualTo(3);
    assertThat(r.stdout())
        .contains(
            "CONFIG_PG_DBNAME=" + db,
            "CONFIG_PG_USER=" + db,
            "CONFIG_REDIS_PREFIX=test_" + name + ":",
            "the files folder is there",
            "connected to " + db);
    Matcher files = Pattern.compile("(?m)^CONFIG_FILES=(.+)$").matcher(r.stdout());
    assertThat(files.find()).isTrue();
    assertThat(Path.of(files.group(1)))
        .as("the temporary files folder is gone")
        .doesNotExist()
        .isNotEqualTo(node.root().resolve("apps").resolve(name).resolve("files"));
    Matcher sqlite = Pattern.compile("(?m)^CONFIG_SQLITE_PATH=(.+)$").matcher(r.stdout());
    assertThat(sqlite.find()).isTrue();
    assertThat(Path.of(sqlite.group(1)).getFileName()).hasToString(db + ".db");
    assertThat(Path.of(sqlite.group(1))).doesNotExist();
    try (Connection admin = Servers.postgresAdmin();
        Statement st = admin.createStatement()) {
      assertThat(count(st, "SELECT count(*) FROM pg_database WHERE datname = '" + db + "'"))
          .as("the test database is dropped")
          .isZero();
      assertThat(count(st, "SELECT count(*) FROM pg_roles WHERE rolname = '" + db + "'"))
          .as("the test role is dropped")
          .isZero();
    }
  }

  @Test
  void serveLaysDevelSettingsOfSilverliningConfOverTheDefaults() throws Exception {
    Path home = Files.createDirectories(dir.resolve("devel-home"));
    String good = made("develgood-" + RUN);
    Files.writeString(
        home.resolve(".silverlining.conf"),
        """
        [devel]
        postgresql.port = 1
        postgresql.user = APP_NAME-admin

        [devel:%s]
        postgresql.port = 5432
        postgresql.user = postgres
        postgresql.host = localhost
        """
            .formatted(good));

    Path bad = writeApp("develbad", "service.files =", "service.postgresql =");
    try (Serve serve = Serve.start(bad, home)) {
      serve.port(); // said after the deploy, which failed
      assertThat(serve.log())
          .contains("Could not start (provision)")
          .contains("cannot reach PostgreSQL at 127.0.0.1:1 as develbad-admin");
    }

    Servers.postgresql();
    try (Serve serve = Serve.start(writeApp(good, "service.postgresql ="), home)) {
      Map<String, String> env = serve.env();
      assertThat(env)
          .containsEntry("CONFIG_PG_HOST", "localhost")
          .containsEntry("CONFIG_PG_PORT", "5432")
          .containsEntry("CONFIG_PG_DBNAME", good.replace('-', '_'));
      assertThat(env.get("SILVER_VERSION")).startsWith("devel/");
      try (Connection c = DriverManager.getConnection(env.get("CONFIG_PG_JDBC_URL"))) {
        assertThat(c.isValid(5)).isTrue();
      }
    }
  }

  /** Last: it restarts the node, and leaves it stopped. */
  @Test
  @Order(Integer.MAX_VALUE)
  void anUnreachablePostgresqlFailsTheUpdateAtProvisionAndTheOldInstanceKeepsServing()
      throws Exception {
    Path nodeIni = node.root().resolve("node.ini");
    String original = Files.readString(nodeIni);
    node.stop();
    Files.writeString(nodeIni, original + "\n[service.postgresql]\nport = 1\n");
    try {
      node.startProcess();
      Path app = writeApp("steady", "service.files =");
      String old = TestNode.liveInstance(node.update(app, "steady.test"));
      Files.writeString(
          app.resolve("app.ini"),
          Files.readString(app.resolve("app.ini")) + "service.postgresql =\n");

      TestNode.Result r = node.silver("update", app.toString(), "steady.test");

      assertThat(r.exitCode()).as(r.output()).isNotZero();
      assertThat(r.output())
          .contains("update failed at provision")
          .contains("cannot reach PostgreSQL at 127.0.0.1:1")
          .contains("[service.postgresql] in node.ini");
      assertThat(env("steady.test").get("SILVER_INSTANCE_NAME")).isEqualTo(old);
    } finally {
      node.stop();
      Files.writeString(nodeIni, original);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** The app with every service, deployed once for the tests that use it. */
  private static Map<String, String> everything() throws Exception {
    Servers.postgresql();
    Servers.mysql();
    Servers.redis();
    if (everyEnv == null) {
      everyApp =
          writeApp(
              made(EVERY),
              "service.files =",
              "service.sqlite =",
              "service.writable_root =",
              "service.postgresql =",
              "service.mysql =",
              "service.redis =");
      node.update(everyApp, EVERY_HOST);
      everyEnv = env(EVERY_HOST);
    }
    return everyEnv;
  }

  /** A second app with its own PostgreSQL and MySQL, for isolation tests. */
  private static Map<String, String> intruder() throws Exception {
    String name = made("intruder-" + RUN);
    if (node.root().resolve("apps").resolve(name).toFile().isDirectory()) {
      return env("intruder.test");
    }
    node.update(writeApp(name, "service.postgresql =", "service.mysql ="), "intruder.test");
    return env("intruder.test");
  }

  /** Remembers an app whose server-side resources the run must drop at the end. */
  private static String made(String app) {
    if (!MADE.contains(app)) {
      MADE.add(app);
    }
    return app;
  }

  /** An app folder with the test app and an app.ini with {@code lines} added. */
  static Path writeApp(String name, String... lines) throws IOException {
    Path app = Files.createDirectories(dir.resolve("src").resolve(name + "-" + System.nanoTime()));
    Files.writeString(app.resolve("app.py"), APP_PY);
    Files.writeString(
        app.resolve("app.ini"),
        "[production]\napp_name = "
            + name
            + "\nruntime = command\nrunner = python3 app.py\nhealth = /ping\n"
            + String.join("\n", lines)
            + "\n");
    return app;
  }

  static DeployIT.Answer get(String host, String path) throws Exception {
    return DeployIT.FrontClient.get(node.httpPort(), host, path);
  }

  /** What the app with every service answers at {@code path}, which must be 200. */
  private static String call(String path) throws Exception {
    DeployIT.Answer a = get(EVERY_HOST, path);
    assertThat(a.statusCode()).as("%s: %s", path, a.body()).isEqualTo(200);
    return a.body();
  }

  private static Map<String, String> env(String host) throws Exception {
    DeployIT.Answer a = get(host, "/env");
    assertThat(a.statusCode()).as(a.body()).isEqualTo(200);
    return JSON.readValue(a.body(), new TypeReference<Map<String, String>>() {});
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** The {@code CONFIG_*} names in the table of services of docs/services.md. */
  private static TreeSet<String> documentedVariables() throws IOException {
    TreeSet<String> names = new TreeSet<>();
    Pattern variable = Pattern.compile("`(CONFIG_[A-Z_]+)`");
    for (String line : Files.readAllLines(TestNode.PROJECT.resolve("docs/services.md"))) {
      if (line.startsWith("| [`")) {
        Matcher m = variable.matcher(line);
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }

  private static void sql(String jdbcUrl, String statement) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  private static String one(Statement st, String query) throws SQLException {
    try (ResultSet rs = st.executeQuery(query)) {
      assertThat(rs.next()).as(query).isTrue();
      return rs.getString(1);
    }
  }

  private static long count(Statement st, String query) throws SQLException {
    return Long.parseLong(one(st, query));
  }

  private static boolean pgTableExists(Map<String, String> env, String table) throws SQLException {
    try (Connection c = DriverManager.getConnection(env.get("CONFIG_PG_JDBC_URL"));
        Statement st = c.createStatement()) {
      return one(st, "SELECT to_regclass('public." + table + "')") != null;
    }
  }

  private static List<String> mysqlTables(Map<String, String> env) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(env.get("CONFIG_MYSQL_JDBC_URL"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW TABLES")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** One command as the app's Redis user. */
  private static String redis(Map<String, String> env, String... command) throws IOException {
    try (Redis r = Redis.open()) {
      assertThat(r.call("AUTH", env.get("CONFIG_REDIS_USER"), env.get("CONFIG_REDIS_PASSWORD")))
          .isEqualTo("OK");
      return r.call(command);
    }
  }

  /**
   * The database servers of the machine, on their default ports. A test that needs one that does
   * not answer is skipped, saying so, except in CI ({@code CI=true}) where it fails.
   */
  static final class Servers {
    private Servers() {}

    static void postgresql() {
      require("PostgreSQL", 5432);
    }

    static void mysql() {
      require("MariaDB/MySQL", 3306);
    }

    static void redis() {
      require("Redis", 6379);
    }

    static void require(String server, int port) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      } catch (IOException e) {
        unavailable(server + " does not answer at 127.0.0.1:" + port + " (" + e.getMessage() + ")");
      }
    }

    /** A client program on the PATH, e.g. {@code psql}. */
    static void command(String name) {
      boolean found =
          Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
              .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, name)));
      if (!found) {
        unavailable("the command '" + name + "' is not on the PATH");
      }
    }

    static void unavailable(String why) {
      if ("true".equals(System.getenv("CI"))) {
        fail(why + "; in CI (CI=true) the service servers and their clients must be there");
      }
      System.err.println("Skipping: " + why);
      Assumptions.abort(why + "; start it to run this test (it fails instead when CI=true)");
    }

    static Connection postgresAdmin() throws SQLException {
      return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
    }

    /** Drops, as the administrators, what the node made for {@code name}; best effort. */
    static void drop(String name, String redisPrefix) {
      try (Connection c = postgresAdmin();
          Statement st = c.createStatement()) {
        // a node stopped right after a restore leaves the database it replaced
        for (String db :
            List.of(
                name,
                PostgresService.besideName("old", name),
                PostgresService.besideName("restore", name))) {
          st.execute("DROP DATABASE IF EXISTS \"" + db + "\" WITH (FORCE)");
        }
        st.execute("DROP ROLE IF EXISTS \"" + name + "\"");
      } catch (SQLException e) {
        System.err.println("could not drop PostgreSQL " + name + ": " + e.getMessage());
      }
      try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/?user=root");
          Statement st = c.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS `" + name + "`");
        st.execute("DROP USER IF EXISTS '" + name + "'@'%', '" + name + "'@'localhost'");
      } catch (SQLException e) {
        System.err.println("could not drop MySQL " + name + ": " + e.getMessage());
      }
      try (Redis r = Redis.open()) {
        r.call("ACL", "DELUSER", name);
        String keys = r.call("KEYS", redisPrefix + "*");
        for (String key : keys.substring(1, keys.length() - 1).split(", ")) {
          if (!key.isEmpty()) {
            r.call("DEL", key);
          }
        }
      } catch (IOException e) {
        System.err.println("could not drop Redis " + name + ": " + e.getMessage());
      }
    }
  }

  /**
   * A minimal Redis client speaking RESP2. Replies come back as text: a status or bulk string as it
   * is, an integer in decimal, an error with its leading {@code -}, a nil as {@code null}, an array
   * as {@code [a, b]}.
   */
  static final class Redis implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private Redis(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      this.out = socket.getOutputStream();
    }

    static Redis open() throws IOException {
      Socket s = new Socket();
      s.connect(new InetSocketAddress("127.0.0.1", 6379), 5_000);
      s.setSoTimeout(10_000);
      return new Redis(s);
    }

    String call(String... args) throws IOException {
      StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
      for (String a : args) {
        b.append('$')
            .append(a.getBytes(StandardCharsets.UTF_8).length)
            .append("\r\n")
            .append(a)
            .append("\r\n");
      }
      out.write(b.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return reply();
    }

    private String reply() throws IOException {
      String line = line();
      String rest = line.substring(1);
      switch (line.charAt(0)) {
        case '+':
        case ':':
          return rest;
        case '-':
          return line;
        case '$':
          {
            int n = Integer.parseInt(rest);
            if (n < 0) {
              return null;
            }
            String s = new String(in.readNBytes(n), StandardCharsets.UTF_8);
            line();
            return s;
          }
        case '*':
          {
            List<String> items = new ArrayList<>();
            for (int i = Integer.parseInt(rest); i > 0; i--) {
              items.add(reply());
            }
            return items.toString();
          }
        default:
          throw new IOException("unexpected reply: " + line);
      }
    }

    private String line() throws IOException {
      StringBuilder b = new StringBuilder();
      int c;
      while ((c = in.read()) != '\n') {
        if (c == -1) {
          throw new IOException("the server closed the connection");
        }
        if (c != '\r') {
          b.append((char) c);
        }
      }
      return b.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** {@code silver serve APP_DIR} with {@code HOME=home}, on a port it takes itself. */
  private static final class Serve implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final CompletableFuture<Matcher> serving;
    private final HttpClient http =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Serve(Process process, Path log) {
      this.process = process;
      this.log = log;
      this.serving = NodeOutput.copy(process, log, ServeIT.SERVING);
    }

    static Serve start(Path app, Path home) throws IOException {
      Path log = app.resolveSibling(app.getFileName() + "-serve.log");
      ProcessBuilder pb =
          new ProcessBuilder(
                  TestNode.SILVER.toString(), "serve", app.toString(), "--http", "127.0.0.1:0")
              .directory(TestNode.PROJECT.toFile())
              .redirectErrorStream(true);
      pb.environment().put("HOME", home.toString());
      return new Serve(pb.start(), log);
    }

    /** The port serve says it listens on, once it has said so. */
    int port() throws Exception {
      Matcher m = serving.get(120, TimeUnit.SECONDS);
      assertThat(m).as("serve says where it serves:%n%s", log()).isNotNull();
      return Integer.parseInt(m.group(1));
    }

    String log() throws IOException {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    Map<String, String> env() throws Exception {
      Map<String, String> env = new LinkedHashMap<>();
      int port = port();
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                HttpResponse<String> r =
                    http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/env"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                env.putAll(JSON.readValue(r.body(), new TypeReference<Map<String, String>>() {}));
              });
      return env;
    }

    @Override
    public void close() throws Exception {
      List<ProcessHandle> children = process.descendants().toList();
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      children.forEach(ProcessHandle::destroyForcibly);
      System.out.println("serve said:\n" + log().strip());
    }
  }
}

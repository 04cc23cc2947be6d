package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup of an app on the machine's PostgreSQL (15) loads into a newer major version (18, from
 * the test's dependencies): rows, types, sequences, constraints, indexes, triggers and views arrive
 * as they left. The newer PostgreSQL comes without client programs, and a node checkpoints an app's
 * data with pg_dump, which must be at least as new as the server; so the backup loads through
 * {@code silver test --fixture}, which takes no checkpoint, with the development settings pointing
 * at the newer server. Then the limits: a node whose pg_dump is older than its server refuses, and
 * says what to install; an object the newer version no longer has fails the load, naming it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresUpgradeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RUN = Long.toString(System.currentTimeMillis() % 2_000_000_000L, 36);
  private static final String SOURCE = "up-a-" + RUN;
  private static final String A_HOST = "a.upgrade.test";

  /** The same text forms on both servers, as the backup fixes them. */
  private static final List<String> SESSION =
      List.of(
          "SET DateStyle = 'ISO, YMD'",
          "SET IntervalStyle = 'postgres'",
          "SET TimeZone = 'UTC'",
          "SET extra_float_digits = 1",
          "SET bytea_output = 'hex'");

  /**
   * The testing app's test_command: says where its database is, then waits (two minutes at most)
   * until the test has looked at it.
   */
  private static final String HOLD_PY =
      "import os, sys, time\n"
          + "ready, done = sys.argv[1], sys.argv[2]\n"
          + "with open(ready + '.tmp', 'w') as f:\n"
          + "    f.write(os.environ['CONFIG_PG_JDBC_URL'])\n"
          + "os.rename(ready + '.tmp', ready)\n"
          + "for _ in range(1200):\n"
          + "    if os.path.exists(done):\n"
          + "        sys.exit(0)\n"
          + "    time.sleep(0.1)\n"
          + "sys.exit(4)\n";

  @TempDir static Path dir;
  static NewerPostgres newer;
  static TestNode one;
  static Path develHome;

  @BeforeAll
  static void anAppWithDataOnPostgres15AndANewerServer() throws Exception {
    ServicesIT.Servers.postgresql();
    ServicesIT.Servers.command("pg_dump");
    newer = NewerPostgres.start(dir);
    // A developer's machine whose development services are on the newer server.
    develHome = Files.createDirectories(dir.resolve("devel-home"));
    Files.writeString(
        develHome.resolve(".silverlining.conf"),
        "[devel]\npostgresql.port = " + newer.port() + "\n");

    one = TestNode.start(Files.createDirectories(dir.resolve("one")));
    ok(one.silver("update", writeApp(SOURCE).toString(), A_HOST));
    try (Connection c = pg(one, A_HOST);
        Statement st = c.createStatement()) {
      for (String sql : SCHEMA) {
        st.execute(sql);
      }
      for (String sql : ROWS) {
        st.execute(sql);
      }
    }
  }

  @AfterAll
  static void stopNodesAndServers() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {one, newer}) {
      if (c != null) {
        c.close();
      }
    }
    ServicesIT.Servers.drop(SOURCE.replace('-', '_'), SOURCE + ":");
  }

  @Test
  @Order(1)
  void aBackupFrom15LoadsIntoTheNewerMajorAsItLeft() throws Exception {
    Path backup = dir.resolve("from15.tar.zst");
    ok(one.silver("backup", A_HOST, backup.toString()));
    Map<String, List<String>> before;
    try (Connection source = pg(one, A_HOST)) {
      assertThat(major(source)).isEqualTo(15);
      before = snapshot(source);
    }
    assertThat(before.get("rows public.author"))
        .containsExactly(
            "(1,\"Ünïcødé ✓ 😀\",happy,3)",
            "(2,\"tab\there\nnew line\r\",,)",
            "(4,\"back\\\\slash \\\\N and \"\"quotes\"\"\",sad,1)");
    assertThat(before.get("rows public.post")).hasSize(4);
    assertThat(before.get("rows public.nopk")).hasSize(300);
    assertThat(before.get("sequences"))
        .contains(
            "author_id_seq 4 1 1 1 2147483647 f", "ticket 1007 1000 7 1 9223372036854775807 f");
    assertThat(before.get("indexes")).anyMatch(i -> i.contains("gin_trgm_ops"));
    assertThat(before.get("triggers")).hasSize(1);

    Path ready = dir.resolve("ready");
    Path done = dir.resolve("done");
    Path app = writeApp("up-t-" + RUN, "test_command = python3 hold.py " + ready + " " + done);
    Files.writeString(app.resolve("hold.py"), HOLD_PY);
    Process test = silverTest(app, backup);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.exists(ready) && test.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(ready).as("the test command started").exists();
      try (Connection target = DriverManager.getConnection(Files.readString(ready));
          Statement st = target.createStatement()) {
        assertThat(major(target)).isGreaterThanOrEqualTo(18).isEqualTo(newer.major());
        assertThat(snapshot(target)).isEqualTo(before);
        // The app carries on: its role owns the tables, and sequences go on where they were.
        assertThat(single(st, "INSERT INTO author (name) VALUES ('new') RETURNING id"))
            .isEqualTo("5");
        assertThat(single(st, "SELECT nextval('ticket')")).isEqualTo("1014");
        assertThat(single(st, "SELECT count(*) FROM post_titles")).isEqualTo("4");
      }
      Files.writeString(done, "");
      assertThat(test.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String out = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(test.exitValue()).as(out).isZero();
      assertThat(out).contains("Loaded the fixture");
    } finally {
      test.destroyForcibly();
    }
  }

  @Test
  @Order(2)
  void aNodeWhosePgDumpIsOlderThanItsServerRefusesAndSaysWhatToInstall() throws Exception {
    Process v = new ProcessBuilder("pg_dump", "--version").start();
    String version = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    v.waitFor();
    Matcher m = Pattern.compile("pg_dump \\(PostgreSQL\\) (\\d+)").matcher(version);
    assertThat(m.find()).as(version).isTrue();
    Assumptions.assumeTrue(
        Integer.parseInt(m.group(1)) < newer.major(),
        "the machine's pg_dump (" + version + ") is as new as the server: nothing to refuse");
    try (TestNode two = TestNode.create(Files.createDirectories(dir.resolve("two")))) {
      Path nodeIni = two.root().resolve("node.ini");
      Files.writeString(
          nodeIni,
          Files.readString(nodeIni) + "\n[service.postgresql]\nport = " + newer.port() + "\n");
      two.startProcess();

      // Every update takes a checkpoint of the app's data first, with pg_dump.
      TestNode.Result r = two.silver("update", writeApp("up-b-" + RUN).toString(), "b.test");

      assertThat(r.exitCode()).as(r.output()).isNotZero();
      assertThat(r.stderr())
          .contains("server version mismatch")
          .contains("pg_dump must be at least as new as the server")
          .contains("postgresql-client-" + newer.major());
    }
  }

  @Test
  @Order(3)
  void anObjectTheNewerMajorNoLongerHasFailsTheLoadNamingIt() throws Exception {
    // PostgreSQL 17 moved buffers_backend out of pg_stat_bgwriter.
    sql(one, A_HOST, "CREATE VIEW old_stats AS SELECT buffers_backend FROM pg_stat_bgwriter");
    Path backup = dir.resolve("with-old-view");
    try {
      ok(one.silver("backup", A_HOST, backup.toString()));
    } finally {
      sql(one, A_HOST, "DROP VIEW old_stats");
    }
    Path app = writeApp("up-v-" + RUN, "test_command = python3 -c pass");

    Process test = silverTest(app, backup);
    assertThat(test.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(test.exitValue()).as(out).isNotZero();
    assertThat(out)
        .contains("cannot be loaded")
        .contains("buffers_backend")
        .contains("does not exist");
  }

  // ---------------------------------------------------------------------------------------------

  /** A schema with most kinds of object an app makes, as the app's role makes them. */
  private static final List<String> SCHEMA =
      List.of(
          "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
          "CREATE DOMAIN positive AS int CHECK (VALUE > 0)",
          "CREATE TABLE author (id serial PRIMARY KEY, name text NOT NULL UNIQUE, mood mood,"
              + " karma positive)",
          "CREATE TABLE post ("
              + " id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
              + " author_id int NOT NULL REFERENCES author ON DELETE CASCADE,"
              + " title text NOT NULL CHECK (title <> ''),"
              + " body text, data bytea, tags text[], meta jsonb, price numeric(40,20),"
              + " ratio double precision, at timestamptz, span interval, day date,"
              + " title_length int GENERATED ALWAYS AS (length(title)) STORED)",
          "CREATE INDEX post_title_trgm ON post USING gin (title gin_trgm_ops)",
          "CREATE INDEX post_recent ON post (at DESC) WHERE at IS NOT NULL",
          "CREATE UNIQUE INDEX post_lower_title ON post (author_id, lower(title))",
          "CREATE SEQUENCE ticket START 1000 INCREMENT 7",
          "CREATE VIEW post_titles AS"
              + " SELECT p.id, a.name, p.title FROM post p JOIN author a ON a.id = p.author_id",
          "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql"
              + " AS $$ BEGIN NEW.at := now(); RETURN NEW; END $$",
          "CREATE TRIGGER post_touch BEFORE UPDATE ON post FOR EACH ROW EXECUTE FUNCTION touch()",
          "CREATE TABLE nopk (a text, b int)");

  private static final List<String> ROWS =
      List.of(
          "INSERT INTO author (name, mood, karma) VALUES ('Ünïcødé ✓ 😀', 'happy', 3),"
              + " (E'tab\\there\\nnew line\\r', NULL, NULL), ('gone', 'ok', 2),"
              + " (E'back\\\\slash \\\\N and \"quotes\"', 'sad', 1)",
          "DELETE FROM author WHERE name = 'gone'",
          "INSERT INTO post (author_id, title, body, data, tags, meta, price, ratio, at, span, day)"
              + " VALUES (1, 'first', NULL, '\\x00ff', '{a,NULL,\"b c\"}',"
              + " '{\"k\": [1, 2.50, null], \"ü\": \"\\u00e9\"}',"
              + " 12345678901234567890.12345678901234567890, 0.1,"
              + " '2024-02-29 18:29:59.123456+00', '1 year 2 mons 3 days 04:05:06.789',"
              + " '2024-02-29'),"
              + " (1, 'second', '', '\\x', '{}', 'null', 'NaN', 'NaN', 'infinity', '-1 day',"
              + " '-infinity'),"
              + " (2, 'third', E'\\\\N', NULL, NULL, NULL, -0.5, '-Infinity', '-infinity',"
              + " NULL, NULL),"
              + " (4, 'fourth', repeat('long ', 10000), decode(repeat('00ff', 5000), 'hex'),"
              + " NULL, '[]', 0, 1e308, '1970-01-01 00:00:00+00', '0', '0001-01-01 BC')",
          "SELECT nextval('ticket'), nextval('ticket')",
          "INSERT INTO nopk SELECT CASE WHEN g % 10 = 0 THEN NULL ELSE 'x' || (g % 50) END,"
              + " g % 7 FROM generate_series(1, 300) g");

  /**
   * What must survive the move, in text: every table's rows (each row's text form, sorted), the
   * sequences, columns, constraints (but PostgreSQL 18's catalogued NOT NULLs, which the columns
   * show), indexes, triggers, views, enum labels, and who owns what.
   */
  private static Map<String, List<String>> snapshot(Connection c) throws SQLException {
    Map<String, List<String>> out = new TreeMap<>();
    try (Statement st = c.createStatement()) {
      for (String s : SESSION) {
        st.execute(s);
      }
      for (String table :
          rows(
              st,
              "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables"
                  + " WHERE schemaname = 'public' ORDER BY 1")) {
        out.put(
            "rows " + table,
            rows(st, "SELECT t::text FROM " + table + " t ORDER BY t::text COLLATE \"C\""));
      }
      out.put(
          "sequences",
          rows(
              st,
              "SELECT concat_ws(' ', sequencename, last_value, start_value, increment_by,"
                  + " min_value, max_value, cycle) FROM pg_sequences"
                  + " WHERE schemaname = 'public' ORDER BY 1"));
      out.put(
          "columns",
          rows(
              st,
              "SELECT concat_ws(' | ', table_name, column_name, data_type, udt_name,"
                  + " is_nullable, column_default, is_identity, identity_generation,"
                  + " generation_expression, domain_name) FROM information_schema.columns"
                  + " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"));
      out.put(
          "constraints",
          rows(
              st,
              "SELECT concat_ws(' | ', CASE WHEN conrelid <> 0 THEN conrelid::regclass::text"
                  + " ELSE contypid::regtype::text END, conname, pg_get_constraintdef(oid))"
                  + " FROM pg_constraint WHERE connamespace = 'public'::regnamespace"
                  + " AND contype <> 'n' ORDER BY 1"));
      out.put(
          "indexes",
          rows(
              st,
              "SELECT indexname || ': ' || indexdef FROM pg_indexes"
                  + " WHERE schemaname = 'public' ORDER BY 1"));
      out.put(
          "triggers",
          rows(
              st,
              "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t"
                  + " JOIN pg_class c ON c.oid = t.tgrelid"
                  + " WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal"
                  + " ORDER BY 1"));
      out.put(
          "views",
          rows(
              st,
              "SELECT viewname || ': ' || definition FROM pg_views"
                  + " WHERE schemaname = 'public' ORDER BY 1"));
      out.put("enum", rows(st, "SELECT enum_range(NULL::public.mood)::text"));
      out.put(
          "owners",
          rows(
              st,
              "SELECT relname || ' ' || (relowner = current_user::regrole) FROM pg_class"
                  + " WHERE relnamespace = 'public'::regnamespace ORDER BY 1"));
    }
    return out;
  }

  private static List<String> rows(Statement st, String query) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(query)) {
      ResultSetMetaData md = rs.getMetaData();
      assertThat(md.getColumnCount()).isEqualTo(1);
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static String single(Statement st, String query) throws SQLException {
    List<String> r = rows(st, query);
    assertThat(r).hasSize(1);
    return r.get(0);
  }

  private static int major(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      return Integer.parseInt(single(st, "SHOW server_version_num")) / 10000;
    }
  }

  /** An app with the source's services, and app.ini lines appended. */
  private static Path writeApp(String name, String... lines) throws Exception {
    Path app = Files.createDirectories(dir.resolve("src").resolve(name));
    Files.writeString(app.resolve("app.py"), ServicesIT.APP_PY);
    Files.writeString(
        app.resolve("app.ini"),
        "[production]\napp_name = "
            + name
            + "\nruntime = command\nrunner = python3 app.py\nhealth = /ping\n"
            + "service.postgresql = extensions=pg_trgm\n"
            + String.join("\n", lines)
            + "\n");
    return app;
  }

  /** {@code silver test APP --fixture BACKUP} on the developer's machine, output merged. */
  private static Process silverTest(Path app, Path backup) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                TestNode.SILVER.toString(), "test", app.toString(), "--fixture", backup.toString())
            .directory(TestNode.PROJECT.toFile())
            .redirectErrorStream(true);
    pb.environment().put("HOME", develHome.toString());
    Process p = pb.start();
    p.getOutputStream().close();
    return p;
  }

  private static void ok(TestNode.Result r) {
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  private static Connection pg(TestNode node, String host) throws Exception {
    DeployIT.Answer a = DeployIT.FrontClient.get(node.httpPort(), host, "/env");
    assertThat(a.statusCode()).as(a.body()).isEqualTo(200);
    Map<String, String> env = JSON.readValue(a.body(), new TypeReference<Map<String, String>>() {});
    return DriverManager.getConnection(env.get("CONFIG_PG_JDBC_URL"));
  }

  private static void sql(TestNode node, String host, String statement) throws Exception {
    try (Connection c = pg(node, host);
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }
}

package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A nodeset with a {@code services} node: the machine's real PostgreSQL, MariaDB and Redis, whose
 * administrator only the services node (on 127.0.0.13) knows; two app servers on 127.0.0.11 and .12
 * that get the same variables and share the data.
 */
class SharedServicesIT extends NodesetFixture {
  private static final String HOST = "shared.test";
  private static final String APP = "nsshared";

  /**
   * The services node: its servers are on 127.0.0.1, where the machine's servers listen, which the
   * app servers reach there too (on separate machines they would reach the services node's
   * address).
   */
  private TestNode servicesNode() throws Exception {
    TestNode db = node("db", "127.0.0.13");
    db.stop();
    Files.writeString(
        db.root().resolve("node.ini"),
        "\n[service.postgresql]\nadvertise_host = 127.0.0.1\n"
            + "[service.mysql]\nadvertise_host = 127.0.0.1\n"
            + "[service.redis]\nadvertise_host = 127.0.0.1\n",
        StandardOpenOption.APPEND);
    db.startProcess();
    return db;
  }

  @Test
  void theServicesNodeProvisionsOnceAndEveryAppServerGetsTheSameCredentials() throws Exception {
    TestNode db = servicesNode();
    TestNode app1 = node("app1", "127.0.0.11");
    TestNode app2 = node("app2", "127.0.0.12");
    Path set = dir.resolve("site.nodeset");
    Files.writeString(set, "[nodeset]\nname = site\nappservers = app1 app2\nservices = db\n");

    TestNode.Result first = app1.silver("update", app(1).toString(), set.toString(), HOST);

    assertThat(first.exitCode()).as(first.output()).isZero();
    assertThat(first.stdout()).contains("provide").contains("postgresql").contains("mysql");
    Map<String, String> env1 = env(app1);
    Map<String, String> env2 = env(app2);
    for (String v :
        List.of(
            "CONFIG_PG_PASSWORD",
            "CONFIG_PG_JDBC_URL",
            "CONFIG_MYSQL_PASSWORD",
            "CONFIG_REDIS_URL",
            "CONFIG_REDIS_PASSWORD")) {
      assertThat(env1.get(v)).as(v).isNotBlank().isEqualTo(env2.get(v));
    }
    assertThat(env1.get("CONFIG_PG_HOST")).isEqualTo("127.0.0.1");
    // Files stay each app server's own.
    assertThat(env1.get("CONFIG_FILES")).startsWith(app1.root().toString());
    assertThat(env2.get("CONFIG_FILES")).startsWith(app2.root().toString());

    // A row written with app1's credentials is read with app2's; MariaDB checks the password.
    try (Connection c = DriverManager.getConnection(env1.get("CONFIG_PG_JDBC_URL"));
        Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS t");
      st.execute("CREATE TABLE t (v text)");
      st.execute("INSERT INTO t VALUES ('from app1')");
    }
    try (Connection c = DriverManager.getConnection(env2.get("CONFIG_PG_JDBC_URL"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT v FROM t")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("from app1");
    }
    try (Connection c = DriverManager.getConnection(env2.get("CONFIG_MYSQL_JDBC_URL"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT DATABASE()")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(APP);
    }

    // Another update provisions again on the services node: the same credentials everywhere.
    TestNode.Result second = app1.silver("update", app(2).toString(), set.toString(), HOST);
    assertThat(second.exitCode()).as(second.output()).isZero();
    assertThat(env(app2).get("CONFIG_PG_PASSWORD")).isEqualTo(env1.get("CONFIG_PG_PASSWORD"));
    assertThat(env(app1).get("CONFIG_MYSQL_PASSWORD")).isEqualTo(env1.get("CONFIG_MYSQL_PASSWORD"));

    // The passwords are in no output and no log.
    String password = env1.get("CONFIG_PG_PASSWORD");
    assertThat(first.output() + second.output()).doesNotContain(password);
    for (TestNode n : List.of(db, app1, app2)) {
      assertThat(n.log()).doesNotContain(password);
    }
    // The app servers say who provides what, without the values.
    String shown = app2.api("GET", "services/shared?app=" + APP, app2.token()).body();
    assertThat(shown).contains("\"provider\":\"db\"").contains("postgresql");
    assertThat(shown).doesNotContain(password);

    // Without the services line, the app servers' own services again.
    Files.writeString(set, "[nodeset]\nname = site\nappservers = app1 app2\n");
    TestNode.Result own = app1.silver("update", app(3).toString(), set.toString(), HOST);
    assertThat(own.exitCode()).as(own.output()).isZero();
    assertThat(own.stdout()).contains("app2: the app's services are this node's own again");
    assertThat(app2.api("GET", "services/shared?app=" + APP, app2.token()).body())
        .contains("\"provider\":null");
  }

  @Test
  void anUpdateRefusesAServicesNodeThatIsDownChangingNothing() throws Exception {
    TestNode db = servicesNode();
    TestNode app1 = node("app1", "127.0.0.11");
    Path set = dir.resolve("site.nodeset");
    Files.writeString(set, "[nodeset]\nname = site\nappservers = app1\nservices = db\n");
    db.stop();

    TestNode.Result refused = app1.silver("update", app(1).toString(), set.toString(), HOST);

    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output()).contains("the services node db (").contains("is down");
    assertThat(app1.get(HOST, "/env").statusCode()).isEqualTo(404);
  }

  @Test
  void aStreamingReplicaOnAnotherPortShowsARowWrittenOnThePrimaryToTheAppsOwnRole()
      throws Exception {
    TestNode db = servicesNode();
    TestNode app1 = node("app1", "127.0.0.11");
    String name = "rep" + ProcessHandle.current().pid();
    TestNode replica = node(name, "127.0.0.14");
    String cluster = "silver_" + name;
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try {
      TestNode.Result setup =
          app1.silver(
              "setup-node", name, "--role", "replica", "--of", "db", "--pg-port", "" + port);
      assertThat(setup.exitCode()).as(setup.output()).isZero();
      assertThat(setup.stdout()).contains("Copied the primary").contains("follows db's");
      TestNode.Result again =
          app1.silver(
              "setup-node", name, "--role", "replica", "--of", "db", "--pg-port", "" + port);
      assertThat(again.exitCode()).as(again.output()).isZero();
      assertThat(again.stdout()).contains("is a replica already; nothing changed");

      Path set = dir.resolve("site.nodeset");
      Files.writeString(set, "[nodeset]\nname = site\nappservers = app1\nservices = db\n");
      TestNode.Result update = app1.silver("update", app(1).toString(), set.toString(), HOST);
      assertThat(update.exitCode()).as(update.output()).isZero();
      assertThat(update.stdout()).contains("(replica on " + name + ")");
      Map<String, String> env = env(app1);
      assertThat(env).containsEntry("CONFIG_PG_REPLICA_HOST", replica.address());
      assertThat(env).containsEntry("CONFIG_PG_REPLICA_PORT", Integer.toString(port));

      String row = "row " + System.nanoTime();
      try (Connection c = DriverManager.getConnection(env.get("CONFIG_PG_JDBC_URL"));
          Statement st = c.createStatement()) {
        st.execute("CREATE TABLE IF NOT EXISTS r (v text)");
        st.execute("INSERT INTO r VALUES ('" + row + "')");
      }
      String onReplica =
          env.get("CONFIG_PG_JDBC_URL")
              .replace(
                  env.get("CONFIG_PG_HOST") + ":" + env.get("CONFIG_PG_PORT"),
                  replica.address() + ":" + port);
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                try (Connection c = DriverManager.getConnection(onReplica);
                    Statement st = c.createStatement();
                    ResultSet rs =
                        st.executeQuery("SELECT count(*) FROM r WHERE v = '" + row + "'")) {
                  rs.next();
                  assertThat(rs.getInt(1)).isEqualTo(1);
                }
              });
      try (Connection c = DriverManager.getConnection(onReplica);
          Statement st = c.createStatement()) {
        assertThatThrownBy(() -> st.execute("INSERT INTO r VALUES ('x')"))
            .hasMessageContaining("read-only");
      }
    } finally {
      db.api("POST", "services/replication/drop?replica=" + name, db.token());
      new ProcessBuilder("pg_dropcluster", "--stop", "15", cluster)
          .redirectErrorStream(true)
          .start()
          .waitFor();
    }
  }

  @Test
  void aNodesetUpdateThatFailsAfterMigratingRestoresTheSharedDataAndRollbackBringsItBackToo()
      throws Exception {
    servicesNode();
    TestNode app1 = node("app1", "127.0.0.11");
    TestNode app2 = node("app2", "127.0.0.12");
    Path set = dir.resolve("site.nodeset");
    Files.writeString(set, "[nodeset]\nname = site\nappservers = app1 app2\nservices = db\n");
    String table = "migrated_" + System.nanoTime();
    TestNode.Result one = app1.silver("update", migrating(1, table, "").toString(), set + "", HOST);
    assertThat(one.exitCode()).as(one.output()).isZero();
    assertThat(rows(app1, table)).containsExactly("1");

    // Version 2 migrates on app1, then does not start on app2: its row goes with it.
    TestNode.Result two =
        app1.silver("update", migrating(2, table, "app2").toString(), set + "", HOST);

    assertThat(two.exitCode()).as(two.output()).isNotZero();
    assertThat(two.output())
        .contains("checkpoint")
        .contains("app server app2")
        .contains("The data the services node db keeps for " + APP + " was restored");
    assertThat(rows(app1, table)).containsExactly("1");
    assertThat(env(app1)).containsEntry("VERSION", "1");
    assertThat(env(app2)).containsEntry("VERSION", "1");

    // Version 3 goes live with its row; the nodeset's backup holds the shared rows.
    TestNode.Result three =
        app1.silver("update", migrating(3, table, "").toString(), set + "", HOST);
    assertThat(three.exitCode()).as(three.output()).isZero();
    Path backup = dir.resolve("backup");
    TestNode.Result saved = app1.silver("backup", HOST, backup + "", "--node", set + "");
    assertThat(saved.exitCode()).as(saved.output()).isZero();
    assertThat(saved.stdout()).contains("files of " + APP + " are kept by each app server");
    assertThat(Files.readString(backup.resolve("postgresql/data/public." + table + ".tsv")))
        .isEqualTo("v\n1\n3\n"); // the column names, then the rows

    // Back to version 1 with its data: as version 1 left it, before version 3 migrated.
    TestNode.Result back =
        app1.silver("rollback", HOST, "--restore-data", "--yes", "--node", set + "");

    assertThat(back.exitCode()).as(back.output()).isZero();
    assertThat(back.stdout()).contains("db: the data of " + APP + " was restored");
    assertThat(rows(app1, table)).containsExactly("1");
    assertThat(env(app2)).containsEntry("VERSION", "1");
    // Version 3 was never replaced by an update: no data of it to go back to.
    TestNode.Result none =
        app1.silver("rollback", HOST, "--restore-data", "--yes", "--node", set + "");
    assertThat(none.exitCode()).isNotZero();
    assertThat(none.output()).contains("nothing was changed").contains("no checkpoint of");
    assertThat(env(app1)).containsEntry("VERSION", "1");
  }

  /** The values of {@code table}'s one column, in order, through the app's own credentials. */
  private static List<String> rows(TestNode n, String table) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(env(n).get("CONFIG_PG_JDBC_URL"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT v FROM " + table + " ORDER BY v")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /**
   * Version {@code version} of an app whose {@code migrate_fetch} adds a row with its version to
   * {@code table} of its PostgreSQL, and which does not start on the node {@code failOn}.
   */
  private Path migrating(int version, String table, String failOn) throws Exception {
    Path app = app(version);
    Files.writeString(
        app.resolve("app.ini"), "migrate_fetch = /migrate\n", StandardOpenOption.APPEND);
    Files.writeString(
        app.resolve("app.py"),
        MIGRATING_PY
                .replace("@TABLE@", table)
                .replace("@VERSION@", Integer.toString(version))
                .replace("@FAIL_ON@", failOn)
            + Files.readString(app.resolve("app.py")));
    return app;
  }

  /** Put before {@link #APP_PY}: a POST adds a row; a start on one node fails. */
  static final String MIGRATING_PY =
      """
      import os, subprocess, sys
      from http.server import BaseHTTPRequestHandler

      if os.environ.get("SILVER_NODE") == "@FAIL_ON@":
          sys.exit("does not start here")

      def do_POST(self):
          pg = {"PG" + k: os.environ["CONFIG_PG_" + k]
                for k in ("HOST", "PORT", "USER", "PASSWORD", "DBNAME")}
          pg["PGDATABASE"] = pg.pop("PGDBNAME")
          subprocess.run(["psql", "-qv", "ON_ERROR_STOP=1", "-c",
                          "CREATE TABLE IF NOT EXISTS @TABLE@ (v text);"
                          " INSERT INTO @TABLE@ VALUES ('@VERSION@')"],
                         env=dict(os.environ, **pg), check=True)
          self.send_response(204)
          self.end_headers()

      BaseHTTPRequestHandler.do_POST = do_POST
      """;

  private static Map<String, String> env(TestNode n) throws Exception {
    return new ObjectMapper()
        .readValue(n.get(HOST, "/env").body(), new TypeReference<Map<String, String>>() {});
  }

  private Path app(int version) throws Exception {
    Path app = dir.resolve("apps/" + APP + "-" + version);
    Files.createDirectories(app);
    Files.writeString(
        app.resolve("app.ini"),
        String.join(
            "\n",
            "[production]",
            "app_name = " + APP,
            "runtime = command",
            "runner = python3 app.py",
            "service.postgresql =",
            "service.mysql =",
            "service.redis =",
            "service.files =",
            ""));
    Files.writeString(
        app.resolve("app.py"), APP_PY.replace("@VERSION@", Integer.toString(version)));
    return app;
  }

  static final String APP_PY =
      """
      import json, os
      from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

      class Handler(BaseHTTPRequestHandler):
          protocol_version = "HTTP/1.1"

          def do_GET(self):
              env = {k: v for k, v in os.environ.items() if k.startswith("CONFIG_")}
              env["VERSION"] = "@VERSION@"
              body = json.dumps(env).encode()
              self.send_response(200)
              self.send_header("Content-Type", "application/json")
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)

          def log_message(self, *args):
              pass

      ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
      """;
}

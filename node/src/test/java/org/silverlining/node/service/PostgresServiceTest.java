package org.silverlining.node.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PostgresService} against the real PostgreSQL at 127.0.0.1:5432 (superuser postgres). */
class PostgresServiceTest {
  private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

  private final PostgresService service = new PostgresService();
  private final List<ServiceScope> made = new ArrayList<>();
  @TempDir Path dir;

  @BeforeAll
  static void serverAnswers() {
    LiveServer.require(
        "PostgreSQL",
        "127.0.0.1",
        5432,
        "start it with: pg_ctlcluster --skip-systemctl-redirect 15 main start");
  }

  @AfterEach
  void dropEverythingMade() throws ServiceException {
    for (ServiceScope s : made) {
      service.drop(s);
    }
  }

  private ServiceScope scope(
      String base, String alias, Map<String, String> options, ServiceMode mode) {
    ServiceScope s =
        LiveServer.scope(LiveServer.uniqueApp(base), alias, options, mode, dir.resolve(base));
    made.add(s);
    return s;
  }

  private ServiceScope scope(String base) {
    return scope(base, "postgresql", Map.of(), ServiceMode.PRODUCTION);
  }

  private static Connection connectAs(Map<String, String> env) throws SQLException {
    return DriverManager.getConnection(env.get("CONFIG_PG_JDBC_URL"));
  }

  private static boolean exists(String query) throws SQLException {
    try (Connection c = DriverManager.getConnection(ADMIN_URL);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      return rs.next();
    }
  }

  @Test
  void provisioningTwiceKeepsThePasswordAndChangesNothing() throws Exception {
    ServiceScope s = scope("twice");
    service.provision(s);
    Map<String, String> first = service.environment(s);
    try (Connection c = connectAs(first);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE kept (n int)");
      st.execute("INSERT INTO kept VALUES (7)");
    }

    service.provision(s);

    assertThat(service.environment(s)).isEqualTo(first);
    try (Connection c = connectAs(first);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT n FROM kept")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(7);
    }
  }

  @Test
  void theEnvironmentNamesTheDatabaseAndItsUrlsConnect() throws Exception {
    ServiceScope s = scope("env");
    service.provision(s);
    Map<String, String> env = service.environment(s);
    String name = s.resourceName();
    String password = env.get("CONFIG_PG_PASSWORD");

    assertThat(password).matches("[0-9a-f]{48}");
    assertThat(env)
        .containsEntry("CONFIG_PG_DBNAME", name)
        .containsEntry("CONFIG_PG_USER", name)
        .containsEntry("CONFIG_PG_HOST", "127.0.0.1")
        .containsEntry("CONFIG_PG_PORT", "5432")
        .containsEntry(
            "CONFIG_PG_URL", "postgresql://" + name + ":" + password + "@127.0.0.1:5432/" + name)
        .containsEntry(
            "CONFIG_PG_SQLALCHEMY",
            "postgresql://" + name + ":" + password + "@127.0.0.1:5432/" + name)
        .containsEntry(
            "CONFIG_PG_JDBC_URL",
            "jdbc:postgresql://127.0.0.1:5432/" + name + "?user=" + name + "&password=" + password);
    try (Connection c = connectAs(env);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE entries (id serial PRIMARY KEY, text varchar(100))");
      st.execute("INSERT INTO entries (text) VALUES ('hello')");
      try (ResultSet rs =
          st.executeQuery("SELECT current_user, count(*) FROM entries GROUP BY 1")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(name);
        assertThat(rs.getInt(2)).isEqualTo(1);
      }
    }
  }

  @Test
  void oneAppsRoleCannotOpenAnotherAppsDatabase() throws Exception {
    ServiceScope a = scope("a");
    ServiceScope b = scope("b");
    service.provision(a);
    service.provision(b);
    Map<String, String> envA = service.environment(a);
    String urlToB =
        "jdbc:postgresql://127.0.0.1:5432/"
            + b.resourceName()
            + "?user="
            + a.resourceName()
            + "&password="
            + envA.get("CONFIG_PG_PASSWORD");

    assertThatThrownBy(() -> DriverManager.getConnection(urlToB).close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("permission denied for database");
  }

  @Test
  void anAppsRoleIsNoSuperuserAndCannotMakeDatabasesOrRoles() throws Exception {
    ServiceScope s = scope("plain");
    service.provision(s);

    assertThat(
            exists(
                "SELECT 1 FROM pg_roles WHERE rolname = '"
                    + s.resourceName()
                    + "' AND rolcanlogin AND NOT rolsuper AND NOT rolcreatedb AND NOT"
                    + " rolcreaterole"))
        .isTrue();
  }

  @Test
  void clearEmptiesTheDatabaseAndKeepsItUsable() throws Exception {
    ServiceScope s =
        scope("clear", "postgresql", Map.of("extensions", "pg_trgm"), ServiceMode.PRODUCTION);
    service.provision(s);
    Map<String, String> env = service.environment(s);
    try (Connection c = connectAs(env);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE gone (n int)");
      st.execute("CREATE SCHEMA side");
      st.execute("CREATE TABLE side.gone_too (n int)");
    }

    service.clear(s);

    assertThat(service.environment(s)).isEqualTo(env);
    try (Connection c = connectAs(env);
        Statement st = c.createStatement()) {
      try (ResultSet rs =
          st.executeQuery(
              "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog',"
                  + " 'information_schema')")) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
      }
      try (ResultSet rs = st.executeQuery("SELECT similarity('word', 'words') > 0")) {
        rs.next();
        assertThat(rs.getBoolean(1)).as("pg_trgm is back after clear").isTrue();
      }
      st.execute("CREATE TABLE again (n int)");
    }
  }

  @Test
  void dropRemovesTheDatabaseTheRoleAndThePassword() throws Exception {
    ServiceScope s = scope("drop");
    service.provision(s);
    String name = s.resourceName();

    service.drop(s);

    assertThat(exists("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")).isFalse();
    assertThat(exists("SELECT 1 FROM pg_roles WHERE rolname = '" + name + "'")).isFalse();
    assertThatThrownBy(() -> service.environment(s))
        .isInstanceOf(ServiceException.class)
        .hasMessageContaining("not provisioned yet");
    service.drop(s);
  }

  @Test
  void testModeMakesATestPrefixedDatabaseApartFromTheDeployedOne() throws Exception {
    ServiceScope prod = scope("both");
    ServiceScope test =
        LiveServer.scope(prod.app(), "postgresql", Map.of(), ServiceMode.TEST, prod.dataDir());
    made.add(test);
    service.provision(prod);
    service.provision(test);

    assertThat(service.environment(test))
        .containsEntry("CONFIG_PG_DBNAME", "test_" + prod.resourceName());
    assertThat(service.environment(test).get("CONFIG_PG_PASSWORD"))
        .isNotEqualTo(service.environment(prod).get("CONFIG_PG_PASSWORD"));
    service.drop(test);
    assertThat(exists("SELECT 1 FROM pg_database WHERE datname = '" + prod.resourceName() + "'"))
        .isTrue();
    assertThat(service.environment(prod)).containsKey("CONFIG_PG_PASSWORD");
  }

  @Test
  void anUnreachableServerFailsNamingTheServerAndTheFix() {
    ServiceScope s =
        LiveServer.scope(
            "nowhere", "postgresql", Map.of(), ServiceMode.PRODUCTION, Map.of("port", "1"), dir);

    assertThatThrownBy(() -> service.provision(s))
        .isInstanceOf(ServiceException.class)
        .hasMessageContaining("cannot reach PostgreSQL at 127.0.0.1:1 as postgres")
        .hasMessageContaining("[service.postgresql] in node.ini");
  }

  @Test
  void aPortThatIsNotANumberIsRefusedBeforeConnecting() {
    ServiceScope s =
        LiveServer.scope(
            "nowhere", "postgresql", Map.of(), ServiceMode.PRODUCTION, Map.of("port", "54x"), dir);

    assertThatThrownBy(() -> service.provision(s))
        .isInstanceOf(ServiceException.class)
        .hasMessage("[service.postgresql] port '54x' is not a port number (1-65535)");
  }

  @Test
  void thePostgisAliasAddsPostgisOrSaysClearlyThatTheServerLacksIt() throws Exception {
    ServiceScope s = scope("gis", "postgis", Map.of(), ServiceMode.PRODUCTION);
    if (exists("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")) {
      service.provision(s);
      try (Connection c = connectAs(service.environment(s));
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT postgis_version()")) {
        assertThat(rs.next()).isTrue();
      }
    } else {
      assertThatThrownBy(() -> service.provision(s))
          .isInstanceOf(ServiceException.class)
          .hasMessageMatching(
              "the PostgreSQL server at 127\\.0\\.0\\.1:5432 has no PostGIS; install"
                  + " postgresql-\\d+-postgis-3 \\(or the package for your version\\)");
    }
  }

  @Test
  void theExtensionsOptionCreatesThem() throws Exception {
    ServiceScope s =
        scope("ext", "postgresql", Map.of("extensions", "pg_trgm,hstore"), ServiceMode.PRODUCTION);
    service.provision(s);
    service.provision(s);

    try (Connection c = connectAs(service.environment(s));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT extname FROM pg_extension ORDER BY 1")) {
      List<String> names = new ArrayList<>();
      while (rs.next()) {
        names.add(rs.getString(1));
      }
      assertThat(names).contains("pg_trgm", "hstore");
    }
  }

  @Test
  void anUnknownExtensionFailsClearly() {
    ServiceScope s =
        scope("noext", "postgresql", Map.of("extensions", "no_such_ext"), ServiceMode.PRODUCTION);

    assertThatThrownBy(() -> service.provision(s))
        .isInstanceOf(ServiceException.class)
        .hasMessageStartingWith(
            "the PostgreSQL server at 127.0.0.1:5432 has no extension 'no_such_ext'; install");
  }

  @Test
  void anExtensionNameUnsafeInSqlIsRefusedBeforeConnecting() {
    ServiceScope s =
        LiveServer.scope(
            "bad",
            "postgresql",
            Map.of("extensions", "pg_trgm,x\";DROP"),
            ServiceMode.PRODUCTION,
            Map.of("port", "1"),
            dir);

    assertThatThrownBy(() -> service.provision(s))
        .isInstanceOf(ServiceException.class)
        .hasMessage("service.postgresql: extensions: 'x\";DROP' is not an extension name");
  }

  @Test
  void anAppNameUnsafeInSqlIsRefusedBeforeConnecting() {
    ServiceScope s =
        LiveServer.scope(
            "x\"; DROP DATABASE postgres; --",
            "postgresql",
            Map.of(),
            ServiceMode.PRODUCTION,
            Map.of("port", "1"),
            dir);

    assertThatThrownBy(() -> service.provision(s))
        .isInstanceOf(ServiceException.class)
        .hasMessageContaining("not safe for a database");
    assertThatThrownBy(() -> service.drop(s)).isInstanceOf(ServiceException.class);
  }

  @Test
  void hostileNamesAndValuesRoundTripThroughTheServerUnchanged() throws Exception {
    List<String> hostile =
        List.of(
            "a\"b",
            "x'; DROP TABLE t; --",
            "back\\slash'",
            "`tick`; SELECT 1",
            "\"\"; DROP ROLE postgres; --",
            "dollar $$ quote $x$");
    try (Connection c = DriverManager.getConnection(ADMIN_URL);
        Statement st = c.createStatement()) {
      for (String h : hostile) {
        try (ResultSet rs =
            st.executeQuery(
                "SELECT " + SqlQuoting.pgLiteral(h) + " AS " + SqlQuoting.pgIdentifier(h))) {
          rs.next();
          assertThat(rs.getString(1)).isEqualTo(h);
          assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo(h);
        }
      }
    }
  }

  @Test
  void aPgDumpOlderThanTheServerGetsAHintNamingTheClientToInstall() {
    String refused =
        "pg_dump failed (exit 1): pg_dump: error: aborting because of server version mismatch\n"
            + "pg_dump: detail: server version: 18.6; pg_dump version: 15.20 (Debian 15.20-0)";
    assertThat(PostgresService.clientTooOld(refused))
        .contains("pg_dump must be at least as new as the server")
        .contains("install PostgreSQL 18's client programs")
        .contains("postgresql-client-18");
    assertThat(PostgresService.clientTooOld("pg_dump failed (exit 1): connection refused"))
        .isEmpty();
    assertThat(PostgresService.clientTooOld(null)).isEmpty();
  }
}

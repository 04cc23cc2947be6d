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

/** {@link MysqlService} against the real MariaDB at 127.0.0.1:3306 (root, no password). */
class MysqlServiceTest {
  private static final String ADMIN_URL = "jdbc:mariadb://127.0.0.1:3306/?user=root&password=";

  private final MysqlService service = new MysqlService();
  private final List<ServiceScope> made = new ArrayList<>();
  @TempDir Path dir;

  @BeforeAll
  static void serverAnswers() {
    LiveServer.require(
        "MariaDB",
        "127.0.0.1",
        3306,
        "start it with: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd");
  }

  @AfterEach
  void dropEverythingMade() throws ServiceException {
    for (ServiceScope s : made) {
      service.drop(s);
    }
  }

  private ServiceScope scope(String app, ServiceMode mode) {
    ServiceScope s = LiveServer.scope(app, "mysql", Map.of(), mode, dir.resolve(app));
    made.add(s);
    return s;
  }

  private ServiceScope scope(String base) {
    return scope(LiveServer.uniqueApp(base), ServiceMode.PRODUCTION);
  }

  private static Connection connectAs(Map<String, String> env) throws SQLException {
    return DriverManager.getConnection(env.get("CONFIG_MYSQL_JDBC_URL"));
  }

  private static Connection connectAs(Map<String, String> env, String database)
      throws SQLException {
    return DriverManager.getConnection(
        "jdbc:mariadb://127.0.0.1:3306/"
            + database
            + "?user="
            + env.get("CONFIG_MYSQL_USERNAME")
            + "&password="
            + env.get("CONFIG_MYSQL_PASSWORD"));
  }

  private static long count(String query) throws SQLException {
    try (Connection c = DriverManager.getConnection(ADMIN_URL);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
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
  void theEnvironmentNamesTheDatabaseAndItsJdbcUrlConnects() throws Exception {
    ServiceScope s = scope("env");
    service.provision(s);
    Map<String, String> env = service.environment(s);
    String name = s.resourceName();
    String password = env.get("CONFIG_MYSQL_PASSWORD");

    assertThat(password).matches("[0-9a-f]{48}");
    assertThat(env)
        .containsEntry("CONFIG_MYSQL_DBNAME", name)
        .containsEntry("CONFIG_MYSQL_USERNAME", name)
        .containsEntry("CONFIG_MYSQL_HOST", "127.0.0.1")
        .containsEntry("CONFIG_MYSQL_PORT", "3306")
        .containsEntry(
            "CONFIG_MYSQL_SQLALCHEMY",
            "mysql://" + name + ":" + password + "@127.0.0.1:3306/" + name)
        .containsEntry(
            "CONFIG_MYSQL_JDBC_URL",
            "jdbc:mariadb://127.0.0.1:3306/" + name + "?user=" + name + "&password=" + password);
    try (Connection c = connectAs(env);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE entries (id int AUTO_INCREMENT PRIMARY KEY, text varchar(100))");
      st.execute("INSERT INTO entries (text) VALUES ('héllo')");
      try (ResultSet rs = st.executeQuery("SELECT text FROM entries")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("héllo");
      }
    }
  }

  @Test
  void oneAppsUserCannotOpenAnotherAppsDatabase() throws Exception {
    ServiceScope a = scope("a");
    ServiceScope b = scope("b");
    service.provision(a);
    service.provision(b);
    Map<String, String> envA = service.environment(a);

    assertThatThrownBy(() -> connectAs(envA, b.resourceName()).close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("Access denied");
  }

  @Test
  void anUnderscoreInTheGrantDoesNotOpenADatabaseWhoseNameMatchesItAsAWildcard() throws Exception {
    String base = LiveServer.uniqueApp("w");
    ServiceScope dashed = scope(base + "-x", ServiceMode.PRODUCTION);
    ServiceScope lookalike = scope(base + "zx", ServiceMode.PRODUCTION);
    service.provision(dashed);
    service.provision(lookalike);

    assertThat(dashed.resourceName()).isEqualTo(base.replace('-', '_') + "_x");
    assertThatThrownBy(
            () -> connectAs(service.environment(dashed), lookalike.resourceName()).close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("Access denied");
  }

  @Test
  void clearEmptiesTheDatabaseAndKeepsItUsable() throws Exception {
    ServiceScope s = scope("clear");
    service.provision(s);
    Map<String, String> env = service.environment(s);
    try (Connection c = connectAs(env);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE gone (n int)");
    }

    service.clear(s);

    assertThat(
            count(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                    + s.resourceName()
                    + "'"))
        .isZero();
    try (Connection c = connectAs(env);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE again (n int)");
    }
  }

  @Test
  void dropRemovesTheDatabaseTheUsersAndThePassword() throws Exception {
    ServiceScope s = scope("drop");
    service.provision(s);
    String name = s.resourceName();

    service.drop(s);

    assertThat(count("SELECT count(*) FROM mysql.user WHERE User = '" + name + "'")).isZero();
    assertThat(
            count(
                "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '"
                    + name
                    + "'"))
        .isZero();
    assertThatThrownBy(() -> service.environment(s))
        .isInstanceOf(ServiceException.class)
        .hasMessageContaining("not provisioned yet");
  }

  @Test
  void testModeMakesATestPrefixedDatabase() throws Exception {
    ServiceScope s = scope(LiveServer.uniqueApp("t"), ServiceMode.TEST);
    service.provision(s);

    assertThat(service.environment(s).get("CONFIG_MYSQL_DBNAME")).startsWith("test_t_");
    try (Connection c = connectAs(service.environment(s))) {
      assertThat(c.getCatalog()).isEqualTo(s.resourceName());
    }
  }

  @Test
  void anUnreachableServerFailsNamingTheServerAndTheFix() {
    ServiceScope s =
        LiveServer.scope(
            "nowhere", "mysql", Map.of(), ServiceMode.PRODUCTION, Map.of("port", "1"), dir);

    assertThatThrownBy(() -> service.provision(s))
        .isInstanceOf(ServiceException.class)
        .hasMessageContaining("cannot reach MySQL/MariaDB at 127.0.0.1:1 as root")
        .hasMessageContaining("[service.mysql] in node.ini");
  }

  @Test
  void anAppNameUnsafeInSqlIsRefusedBeforeConnecting() {
    ServiceScope s =
        LiveServer.scope(
            "x`; DROP DATABASE mysql; --",
            "mysql",
            Map.of(),
            ServiceMode.PRODUCTION,
            Map.of("port", "1"),
            dir);

    assertThatThrownBy(() -> service.provision(s))
        .isInstanceOf(ServiceException.class)
        .hasMessageContaining("not safe for a database");
  }

  @Test
  void hostileNamesAndValuesRoundTripThroughTheServerUnchanged() throws Exception {
    List<String> hostile =
        List.of("a`b", "x'; DROP TABLE t; --", "back\\slash'", "\"dq\"; SELECT 1", "\\'");
    try (Connection c = DriverManager.getConnection(ADMIN_URL);
        Statement st = c.createStatement()) {
      for (String h : hostile) {
        try (ResultSet rs =
            st.executeQuery(
                "SELECT " + SqlQuoting.mysqlLiteral(h) + " AS " + SqlQuoting.mysqlIdentifier(h))) {
          rs.next();
          assertThat(rs.getString(1)).isEqualTo(h);
          assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo(h);
        }
      }
    }
  }
}

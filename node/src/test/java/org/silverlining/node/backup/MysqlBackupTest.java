package org.silverlining.node.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.service.MysqlService;
import org.silverlining.node.service.ServiceScope;
import org.silverlining.node.service.Services;

/** Backups of MySQL/MariaDB against the real server at 127.0.0.1:3306 (root, no password). */
class MysqlBackupTest {
  @TempDir Path tmp;
  private final MysqlService service = new MysqlService();
  private final List<ServiceScope> made = new ArrayList<>();
  private Services.Bound source;

  @BeforeAll
  static void serverAnswers() {
    LiveServers.require("MySQL/MariaDB", 3306, "start it with: service mariadb start");
  }

  @BeforeEach
  void makeSource() throws Exception {
    source = app("my");
    try (Connection c = connect(source);
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE item (id int AUTO_INCREMENT PRIMARY KEY, name varchar(200), data blob,"
              + " price decimal(40,20), ratio double, at datetime(6), stamp timestamp(6) NULL,"
              + " day date, doc json, flags bit(5)) CHARACTER SET utf8mb4");
      st.execute(
          "CREATE TABLE child (id int PRIMARY KEY, item int, FOREIGN KEY (item)"
              + " REFERENCES item(id))");
      st.execute("CREATE TABLE log (line varchar(20), n int)");
      st.execute("CREATE VIEW z_names AS SELECT name FROM item");
      st.execute("CREATE VIEW a_on_view AS SELECT name FROM z_names"); // before its base by name
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO item (name, data, price, ratio, at, stamp, day, doc, flags)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, b'10101')")) {
        ps.setString(1, BackupRoundTripTest.AWKWARD);
        ps.setBytes(2, new byte[] {0, 1, (byte) 0xff, '\n', '\\'});
        ps.setString(3, "12345678901234567890.12345678901234567890");
        ps.setDouble(4, 0.1 + 0.2);
        ps.setString(5, "2024-02-29 23:59:59.123456");
        ps.setString(6, "2024-02-29 23:59:59.654321");
        ps.setString(7, "1000-01-01");
        ps.setString(8, "{\"a\": [1, 2.5]}");
        ps.execute();
      }
      st.execute("INSERT INTO item (name) VALUES ('row 1'), ('row 2'), (NULL)");
      st.execute("INSERT INTO child VALUES (1, 2)");
      st.execute("INSERT INTO log VALUES ('b', 2), ('a', 1), ('A', 1), (NULL, NULL)");
      st.execute("CREATE TRIGGER log_mark BEFORE INSERT ON log FOR EACH ROW SET NEW.n = 42");
    }
  }

  @AfterEach
  void dropEverything() throws Exception {
    for (ServiceScope s : made) {
      service.drop(s);
    }
  }

  private Services.Bound app(String base) throws Exception {
    String name = LiveServers.uniqueApp(base);
    ServiceScope scope = LiveServers.scope(name, "mysql", tmp.resolve(name));
    service.provision(scope);
    made.add(scope);
    return new Services.Bound(service, scope);
  }

  private static Connection connect(Services.Bound b) throws Exception {
    return DriverManager.getConnection(
        b.service().environment(b.scope()).get("CONFIG_MYSQL_JDBC_URL"));
  }

  private static List<String> rows(Connection c, String query) throws Exception {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          Object v = rs.getObject(i);
          b.append(v instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : v).append('|');
        }
        out.add(b.toString());
      }
    }
    return out;
  }

  @Test
  void twoBackupsOfUnchangedDataHaveByteIdenticalFiles() throws Exception {
    Backup.write(List.of(source), tmp.resolve("b1"), Map.of());
    Backup.write(List.of(source), tmp.resolve("b2"), Map.of());

    BackupFiles.assertSameData(tmp.resolve("b2"), tmp.resolve("b1"));
    assertThat(BackupFiles.dataFiles(tmp.resolve("b1")).get("mysql/schema.sql"))
        .contains("CREATE TABLE `item`")
        .doesNotContain("AUTO_INCREMENT=", "`root`");
  }

  @Test
  void aRestoreIntoAnotherAppGivesTheSameBackupAndTheSameValues() throws Exception {
    Backup.write(List.of(source), tmp.resolve("b1"), Map.of());
    Services.Bound other = app("my-dst");

    Backup.restore(tmp.resolve("b1"), List.of(other));
    Backup.write(List.of(other), tmp.resolve("b2"), Map.of());

    BackupFiles.assertSameData(tmp.resolve("b2"), tmp.resolve("b1"));
    String all = "SELECT * FROM item ORDER BY id";
    try (Connection a = connect(source);
        Connection b = connect(other)) {
      assertThat(rows(b, all)).isEqualTo(rows(a, all)).hasSize(4);
      assertThat(
              rows(
                  b, "SELECT name, HEX(data), price, ratio = 0.1e0 + 0.2e0 FROM item WHERE id = 1"))
          .containsExactly(
              BackupRoundTripTest.AWKWARD
                  + "|0001FF0A5C|12345678901234567890.12345678901234567890|1|");
      b.createStatement().execute("INSERT INTO item (name) VALUES ('next')");
      assertThat(rows(b, "SELECT max(id) FROM item")).containsExactly("5|");
      assertThat(rows(b, "SELECT count(*) FROM a_on_view")).containsExactly("5|");
      // The trigger is back, after the rows (which kept their own values).
      assertThat(rows(b, "SELECT count(*) FROM log WHERE n = 42")).containsExactly("0|");
      b.createStatement().execute("INSERT INTO log VALUES ('new', 1)");
      assertThat(rows(b, "SELECT n FROM log WHERE line = 'new'")).containsExactly("42|");
      assertThat(
              rows(
                  b,
                  "SELECT DEFINER FROM information_schema.VIEWS WHERE TABLE_NAME = 'z_names'"
                      + " AND TABLE_SCHEMA = DATABASE()"))
          .containsExactly(other.scope().resourceName() + "@%|");
    }
  }
}

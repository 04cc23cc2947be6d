package org.silverlining.node.backupformat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Backs up and restores an app's MySQL/MariaDB database: {@code schema.sql} (SHOW CREATE TABLE of
 * every table by name, without the volatile {@code AUTO_INCREMENT=N}; statements separated by a
 * line holding only {@code ;}) and {@code data/TABLE.jsonl} in primary key order.
 *
 * <p>Values are the server's text forms (as the text protocol sends them, with {@code time_zone} at
 * UTC); binary columns ({@link #BINARY_TYPES}) as upper-case hex, restored with {@code UNHEX}. Rows
 * stream: the query runs with a fetch size, so the driver reads them in batches as they are
 * written, and a restore inserts in batches of {@link #BATCH}.
 */
public final class MysqlBackup {
  static final String SCHEMA = "schema.sql";
  static final String DATA = "data";
  static final String SEPARATOR = "\n;\n";
  static final int FETCH = 1000;
  static final int BATCH = 1000;
  static final Set<String> BINARY_TYPES =
      Set.of(
          "binary",
          "varbinary",
          "tinyblob",
          "blob",
          "mediumblob",
          "longblob",
          "bit",
          "geometry",
          "point",
          "linestring",
          "polygon",
          "multipoint",
          "multilinestring",
          "multipolygon",
          "geometrycollection");
  static final List<String> SESSION =
      List.of(
          "SET time_zone = '+00:00'",
          "SET NAMES utf8mb4",
          "SET sql_mode = CONCAT(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO')");
  static final String TRIGGERS_FILE = "triggers.sql";
  private static final Pattern AUTO_INCREMENT = Pattern.compile(" AUTO_INCREMENT=\\d+");
  private static final Pattern DEFINER = Pattern.compile(" DEFINER=`(?:[^`]|``)*`@`(?:[^`]|``)*` ");
  private static final String CURRENT_USER = "DEFINER=CURRENT_USER";
  private static final String VIEWS =
      "SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?"
          + " ORDER BY BINARY TABLE_NAME";
  private static final String TRIGGERS =
      "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?"
          + " ORDER BY BINARY TRIGGER_NAME";
  private static final String ROUTINES =
      "SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?"
          + " ORDER BY BINARY ROUTINE_NAME";
  private static final String EVENTS =
      "SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?"
          + " ORDER BY BINARY EVENT_NAME";

  private MysqlBackup() {}

  private record Column(String name, boolean binary) {}

  /** Writes the database into {@code dir}; returns the server's version. */
  public static String write(MysqlTarget target, Path dir)
      throws IOException, SQLException, BackupException {
    Files.createDirectories(dir.resolve(DATA));
    try (Connection c = target.connect()) {
      try (Statement st = c.createStatement()) {
        for (String s : SESSION) {
          st.execute(s);
        }
        st.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
      }
      List<String> tables = tables(c, target.database());
      StringBuilder schema = new StringBuilder();
      for (String t : tables) {
        try (Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SHOW CREATE TABLE " + identifier(t))) {
          rs.next();
          schema.append(AUTO_INCREMENT.matcher(rs.getString(2)).replaceFirst("")).append(SEPARATOR);
        }
      }
      refuseRoutinesAndEvents(c, target.database());
      for (String v : names(c, VIEWS, target.database())) {
        schema.append(createStatement(c, "SHOW CREATE VIEW ", v)).append(SEPARATOR);
      }
      StringBuilder triggers = new StringBuilder();
      for (String t : names(c, TRIGGERS, target.database())) {
        triggers.append(createStatement(c, "SHOW CREATE TRIGGER ", t)).append(SEPARATOR);
      }
      Files.writeString(dir.resolve(SCHEMA), schema.toString(), StandardCharsets.UTF_8);
      Files.writeString(dir.resolve(TRIGGERS_FILE), triggers.toString(), StandardCharsets.UTF_8);
      for (String t : tables) {
        writeTable(c, target.database(), t, dir.resolve(DATA).resolve(RowFile.fileName(t)));
      }
      String version;
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT VERSION()")) {
        rs.next();
        version = "MySQL/MariaDB " + rs.getString(1);
      }
      try (Statement st = c.createStatement()) {
        st.execute("COMMIT");
      }
      return version;
    }
  }

  /**
   * A view's or trigger's CREATE statement with {@code DEFINER=CURRENT_USER} in place of the
   * account of this server it names; a restore makes the app's own user the definer.
   */
  private static String createStatement(Connection c, String show, String name)
      throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(show + identifier(name))) {
      rs.next();
      String sql = rs.getString(show.contains("TRIGGER") ? 3 : 2);
      return DEFINER.matcher(sql).replaceFirst(" " + CURRENT_USER + " ");
    }
  }

  private static List<String> names(Connection c, String query, String db) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(query)) {
      ps.setString(1, db);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /** Stored routines and events are not in the format yet: better no backup than a partial one. */
  private static void refuseRoutinesAndEvents(Connection c, String db)
      throws SQLException, BackupException {
    List<String> found = new ArrayList<>();
    for (String r : names(c, ROUTINES, db)) {
      found.add("routine " + r);
    }
    for (String e : names(c, EVENTS, db)) {
      found.add("event " + e);
    }
    if (!found.isEmpty()) {
      throw new BackupException(
          "the database has "
              + String.join(", ", found)
              + "; backups cannot hold stored routines or events yet");
    }
  }

  private static List<String> tables(Connection c, String db) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?"
                + " AND TABLE_TYPE = 'BASE TABLE' ORDER BY BINARY TABLE_NAME")) {
      ps.setString(1, db);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  private static List<Column> columns(Connection c, String db, String table) throws SQLException {
    List<Column> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?"
                + " AND TABLE_NAME = ? AND IS_GENERATED = 'NEVER' ORDER BY ORDINAL_POSITION")) {
      ps.setString(1, db);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Column(rs.getString(1), BINARY_TYPES.contains(rs.getString(2).toLowerCase())));
        }
      }
    }
    return out;
  }

  private static List<String> primaryKey(Connection c, String db, String table)
      throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ?"
                + " AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION")) {
      ps.setString(1, db);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  private static void writeTable(Connection c, String db, String table, Path file)
      throws SQLException, IOException {
    List<Column> cols = columns(c, db, table);
    List<String> pk = primaryKey(c, db, table);
    StringBuilder q = new StringBuilder("SELECT ");
    for (int i = 0; i < cols.size(); i++) {
      String id = identifier(cols.get(i).name());
      q.append(i == 0 ? "" : ", ").append(cols.get(i).binary() ? "HEX(" + id + ")" : id);
    }
    q.append(" FROM ").append(identifier(table)).append(" ORDER BY ");
    if (pk.isEmpty()) {
      for (int i = 0; i < cols.size(); i++) {
        // Byte-wise, so that a case-insensitive collation leaves no ties in no fixed order.
        q.append(i == 0 ? "" : ", ")
            .append("CAST(")
            .append(identifier(cols.get(i).name()))
            .append(" AS BINARY)");
      }
    } else {
      for (int i = 0; i < pk.size(); i++) {
        q.append(i == 0 ? "" : ", ").append(identifier(pk.get(i)));
      }
    }
    try (RowFile.Writer w = new RowFile.Writer(file, cols.stream().map(Column::name).toList());
        Statement st = c.createStatement()) {
      st.setFetchSize(FETCH);
      try (ResultSet rs = st.executeQuery(q.toString())) {
        while (rs.next()) {
          w.startRow();
          for (int i = 1; i <= cols.size(); i++) {
            w.value(rs.getString(i));
          }
          w.endRow();
        }
      }
    }
  }

  /** Loads {@code dir} into the database, which must be empty: tables, then rows in batches. */
  public static void restore(MysqlTarget target, Path dir)
      throws IOException, SQLException, BackupException {
    String[] statements =
        Files.readString(dir.resolve(SCHEMA), StandardCharsets.UTF_8).split(SEPARATOR);
    try (Connection c = target.connect()) {
      try (Statement st = c.createStatement()) {
        for (String s : SESSION) {
          st.execute(s);
        }
        // Rows load table by table in name order, not in the order foreign keys would need.
        st.execute("SET FOREIGN_KEY_CHECKS = 0");
        List<String> views = new ArrayList<>();
        for (String s : statements) {
          if (s.isBlank()) {
            continue;
          }
          if (s.startsWith("CREATE TABLE")) {
            st.execute(s);
          } else {
            views.add(withDefiner(s, target.database()));
          }
        }
        createViews(st, views);
      }
      c.setAutoCommit(false);
      try (Stream<Path> files = Files.list(dir.resolve(DATA))) {
        for (Path f : files.sorted().toList()) {
          loadTable(c, target.database(), f);
        }
      }
      c.commit();
      Path triggers = dir.resolve(TRIGGERS_FILE);
      if (Files.exists(triggers)) {
        try (Statement st = c.createStatement()) {
          for (String s : Files.readString(triggers, StandardCharsets.UTF_8).split(SEPARATOR)) {
            if (!s.isBlank()) {
              st.execute(withDefiner(s, target.database()));
            }
          }
        }
      }
    }
  }

  private static void loadTable(Connection c, String db, Path file)
      throws IOException, SQLException, BackupException {
    String name = file.getFileName().toString();
    String table = RowFile.decode(name.substring(0, name.length() - RowFile.EXTENSION.length()));
    List<String> binary =
        columns(c, db, table).stream().filter(Column::binary).map(Column::name).toList();
    try (RowFile.Reader r = new RowFile.Reader(file)) {
      StringBuilder sql = new StringBuilder("INSERT INTO ").append(identifier(table)).append(" (");
      StringBuilder values = new StringBuilder();
      for (int i = 0; i < r.columns().size(); i++) {
        String col = r.columns().get(i);
        sql.append(i == 0 ? "" : ", ").append(identifier(col));
        values.append(i == 0 ? "" : ", ").append(binary.contains(col) ? "UNHEX(?)" : "?");
      }
      sql.append(") VALUES (").append(values).append(")");
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int pending = 0;
        while (r.nextRow()) {
          List<String> row = r.stringRow();
          for (int i = 0; i < row.size(); i++) {
            ps.setString(i + 1, row.get(i));
          }
          ps.addBatch();
          if (++pending == BATCH) {
            ps.executeBatch();
            pending = 0;
          }
        }
        if (pending > 0) {
          ps.executeBatch();
        }
      }
    }
  }

  /** The statement with the app's own user {@code 'NAME'@'%'} as definer. */
  static String withDefiner(String statement, String user) {
    int at = statement.indexOf(CURRENT_USER);
    return at < 0
        ? statement
        : statement.substring(0, at)
            + "DEFINER="
            + identifier(user)
            + "@`%`"
            + statement.substring(at + CURRENT_USER.length());
  }

  /**
   * Creates views whose statements come in name order, not dependency order: each round creates
   * what it can, until none is left or a round makes no progress (then the first error is real).
   */
  private static void createViews(Statement st, List<String> views) throws SQLException {
    List<String> left = new ArrayList<>(views);
    while (!left.isEmpty()) {
      List<String> failed = new ArrayList<>();
      SQLException first = null;
      for (String v : left) {
        try {
          st.execute(v);
        } catch (SQLException e) {
          failed.add(v);
          first = first == null ? e : first;
        }
      }
      if (failed.size() == left.size()) {
        throw first;
      }
      left = failed;
    }
  }

  static String identifier(String name) {
    return '`' + name.replace("`", "``") + '`';
  }
}

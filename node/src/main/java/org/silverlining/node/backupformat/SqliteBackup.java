package org.silverlining.node.backupformat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Backs up and restores an app's SQLite database: {@code schema.sql} (the statements of
 * sqlite_master: tables, then indexes, views and triggers, each by name, each ended by a line
 * holding only {@code ;}) and {@code data/TABLE.jsonl} in primary key order.
 *
 * <p>SQLite values carry their own type, so the row form keeps it: NULL as {@code null}, INTEGER as
 * a JSON integer, REAL as a JSON number that always has a point or exponent (infinity as {@code
 * 1e999}), TEXT as a JSON string, BLOB as {@code {"hex":"..."}}.
 */
public final class SqliteBackup {
  static final String SCHEMA = "schema.sql";
  static final String DATA = "data";
  static final String SEPARATOR = "\n;\n";
  static final String SEQUENCE_TABLE = "sqlite_sequence";
  private static final int BATCH = 1000;

  private SqliteBackup() {}

  /** Writes the database file {@code db} into {@code dir}; returns SQLite's version. */
  public static String write(Path db, Path dir) throws IOException, SQLException {
    Files.createDirectories(dir.resolve(DATA));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      c.setAutoCommit(false); // one read transaction: one snapshot of every table
      StringBuilder schema = new StringBuilder();
      List<String> tables = new ArrayList<>();
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"
                      + " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                      + " ORDER BY type <> 'table', type <> 'index', name")) {
        while (rs.next()) {
          schema.append(rs.getString(3)).append(SEPARATOR);
          if (rs.getString(1).equals("table")) {
            tables.add(rs.getString(2));
          }
        }
      }
      Files.writeString(dir.resolve(SCHEMA), schema.toString(), StandardCharsets.UTF_8);
      if (exists(c, SEQUENCE_TABLE)) {
        tables.add(SEQUENCE_TABLE);
      }
      for (String t : tables) {
        writeTable(c, t, dir.resolve(DATA).resolve(RowFile.fileName(t)));
      }
      String version;
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT sqlite_version()")) {
        rs.next();
        version = "SQLite " + rs.getString(1);
      }
      c.commit();
      return version;
    }
  }

  private static boolean exists(Connection c, String table) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static void writeTable(Connection c, String table, Path file)
      throws SQLException, IOException {
    List<String> cols = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT name, pk FROM pragma_table_info(" + literal(table) + ") ORDER BY cid")) {
      List<String[]> pk = new ArrayList<>();
      while (rs.next()) {
        cols.add(rs.getString(1));
        if (rs.getInt(2) > 0) {
          pk.add(new String[] {String.format("%05d", rs.getInt(2)), rs.getString(1)});
        }
      }
      pk.stream().sorted((a, b) -> a[0].compareTo(b[0])).forEach(k -> keys.add(k[1]));
    }
    List<String> order = keys.isEmpty() ? cols : keys;
    StringBuilder q = new StringBuilder("SELECT ");
    for (int i = 0; i < cols.size(); i++) {
      q.append(i == 0 ? "" : ", ").append(identifier(cols.get(i)));
    }
    q.append(" FROM ").append(identifier(table)).append(" ORDER BY ");
    for (int i = 0; i < order.size(); i++) {
      // BINARY: a column declared NOCASE would otherwise leave ties in no fixed order.
      q.append(i == 0 ? "" : ", ").append(identifier(order.get(i))).append(" COLLATE BINARY");
    }
    try (RowFile.Writer w = new RowFile.Writer(file, cols);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(q.toString())) {
      JsonGenerator g = w.generator();
      while (rs.next()) {
        w.startRow();
        for (int i = 1; i <= cols.size(); i++) {
          writeValue(g, rs, i);
        }
        w.endRow();
      }
    }
  }

  private static void writeValue(JsonGenerator g, ResultSet rs, int i)
      throws SQLException, IOException {
    Object v = rs.getObject(i);
    if (v == null) {
      g.writeNull();
      return;
    }
    switch (rs.getMetaData().getColumnType(i)) {
      case Types.INTEGER, Types.BIGINT -> g.writeNumber(rs.getLong(i));
      case Types.REAL, Types.FLOAT, Types.DOUBLE -> g.writeNumber(real(rs.getDouble(i)));
      case Types.BLOB, Types.BINARY, Types.VARBINARY -> {
        g.writeStartObject();
        g.writeStringField("hex", HexFormat.of().formatHex(rs.getBytes(i)));
        g.writeEndObject();
      }
      default -> g.writeString(rs.getString(i));
    }
  }

  /** A REAL as JSON: Java's exact round-trip form, which always has a point or an exponent. */
  static String real(double d) {
    if (Double.isInfinite(d)) {
      return d > 0 ? "1e999" : "-1e999";
    }
    return Double.toString(d);
  }

  /**
   * Loads {@code dir} into the database file {@code db}, which must be new or empty: tables, rows,
   * then indexes, views and triggers (after the rows, so no trigger fires on a restored row).
   */
  public static void restore(Path db, Path dir) throws IOException, SQLException, BackupException {
    String[] statements =
        Files.readString(dir.resolve(SCHEMA), StandardCharsets.UTF_8).split(SEPARATOR);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        for (String s : statements) {
          if (isTable(s)) {
            st.execute(s);
          }
        }
        try (Stream<Path> files = Files.list(dir.resolve(DATA))) {
          for (Path f : files.sorted().toList()) {
            loadTable(c, f);
          }
        }
        for (String s : statements) {
          if (!s.isBlank() && !isTable(s)) {
            st.execute(s);
          }
        }
      }
      c.commit();
    }
  }

  private static boolean isTable(String statement) {
    String s = statement.stripLeading().toUpperCase(java.util.Locale.ROOT);
    return s.startsWith("CREATE TABLE") || s.startsWith("CREATE VIRTUAL TABLE");
  }

  private static void loadTable(Connection c, Path file)
      throws IOException, SQLException, BackupException {
    String name = file.getFileName().toString();
    String table = RowFile.decode(name.substring(0, name.length() - RowFile.EXTENSION.length()));
    if (table.equals(SEQUENCE_TABLE)) {
      // Inserting the rows has counted AUTOINCREMENT up already; the backup's counters win.
      try (Statement st = c.createStatement()) {
        st.execute("DELETE FROM " + SEQUENCE_TABLE);
      }
    }
    try (RowFile.Reader r = new RowFile.Reader(file)) {
      StringBuilder sql = new StringBuilder("INSERT INTO ").append(identifier(table)).append(" (");
      for (int i = 0; i < r.columns().size(); i++) {
        sql.append(i == 0 ? "" : ", ").append(identifier(r.columns().get(i)));
      }
      sql.append(") VALUES (").append("?, ".repeat(r.columns().size() - 1)).append("?)");
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int pending = 0;
        JsonParser p = r.parser();
        while (r.nextRow()) {
          int i = 1;
          JsonToken t;
          while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            bind(ps, i++, t, p);
          }
          if (i - 1 != r.columns().size()) {
            throw new BackupException(
                file
                    + ": a row has "
                    + (i - 1)
                    + " values for "
                    + r.columns().size()
                    + " columns at "
                    + p.currentLocation());
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

  private static void bind(PreparedStatement ps, int i, JsonToken t, JsonParser p)
      throws SQLException, IOException, BackupException {
    switch (t) {
      case VALUE_NULL -> ps.setNull(i, Types.NULL);
      case VALUE_NUMBER_INT -> ps.setLong(i, p.getLongValue());
      case VALUE_NUMBER_FLOAT -> ps.setDouble(i, Double.parseDouble(p.getText()));
      case VALUE_STRING -> ps.setString(i, p.getText());
      case START_OBJECT -> {
        if (p.nextToken() != JsonToken.FIELD_NAME
            || !"hex".equals(p.currentName())
            || p.nextToken() != JsonToken.VALUE_STRING) {
          throw new BackupException(
              "a value object is not {\"hex\":...} at " + p.currentLocation());
        }
        ps.setBytes(i, HexFormat.of().parseHex(p.getText()));
        p.nextToken();
      }
      default -> throw new BackupException("unexpected " + t + " at " + p.currentLocation());
    }
  }

  static String identifier(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}

package org.silverlining.node.state;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One connection to the node's SQLite file, set up for durability: write-ahead log, a full sync on
 * every commit (so an acknowledged change survives {@code kill -9} and power loss), and a busy
 * timeout for the moments two connections write at once. Callers serialize their own use.
 */
public final class SqliteDatabase implements AutoCloseable {
  private final Connection db;

  public SqliteDatabase(Path file) throws SQLException {
    db = DriverManager.getConnection("jdbc:sqlite:" + file);
    execute("PRAGMA journal_mode=WAL");
    execute("PRAGMA synchronous=FULL");
    execute("PRAGMA busy_timeout=5000");
  }

  /** Runs a statement without parameters, such as {@code CREATE TABLE}. */
  public void execute(String sql) throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute(sql);
    }
  }

  /** Runs an {@code INSERT}, {@code UPDATE} or {@code DELETE}; returns the rows changed. */
  public int update(String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(sql, args)) {
      return ps.executeUpdate();
    }
  }

  /** Runs a query; closing the result set closes its statement too. */
  public ResultSet query(String sql, Object... args) throws SQLException {
    PreparedStatement ps = prepare(sql, args);
    ps.closeOnCompletion();
    return ps.executeQuery();
  }

  /** The id of the row the last {@code INSERT} on this connection made. */
  public long lastInsertId() throws SQLException {
    try (ResultSet rs = query("SELECT last_insert_rowid()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private PreparedStatement prepare(String sql, Object... args) throws SQLException {
    PreparedStatement ps = db.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
    return ps;
  }

  @Override
  public void close() throws SQLException {
    db.close();
  }
}

package org.silverlining.node.state;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * One connection to the node's SQLite file, set up for durability: write-ahead log, a full sync on
 * every commit (so an acknowledged change survives {@code kill -9} and power loss), and a busy
 * timeout for the moments two connections write at once. Callers serialize their own use.
 *
 * <p>Statements are compiled once per SQL text and kept: SQLite spends as long compiling a small
 * statement as running it. A caller closes a query's result set before running the same SQL again.
 */
public final class SqliteDatabase implements AutoCloseable {
  private final Connection db;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  /** Beyond this many SQL texts (built ones), statements are compiled for one use. */
  private static final int MAX_STATEMENTS = 200;

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
    PreparedStatement ps = prepare(sql, args);
    try {
      return ps.executeUpdate();
    } finally {
      if (!statements.containsKey(sql)) {
        ps.close();
      }
    }
  }

  /** Runs a query; the caller closes the result set. */
  public ResultSet query(String sql, Object... args) throws SQLException {
    PreparedStatement ps = prepare(sql, args);
    if (!statements.containsKey(sql)) {
      ps.closeOnCompletion();
    }
    return ps.executeQuery();
  }

  /** Work done inside {@link #inTransaction}. */
  public interface Work {
    void run() throws SQLException;
  }

  /** Runs {@code work} as one transaction: one commit (and one sync) for all its changes. */
  public void inTransaction(Work work) throws SQLException {
    db.setAutoCommit(false);
    try {
      work.run();
      db.commit();
    } catch (SQLException | RuntimeException e) {
      db.rollback();
      throw e;
    } finally {
      db.setAutoCommit(true);
    }
  }

  /** The id of the row the last {@code INSERT} on this connection made. */
  public long lastInsertId() throws SQLException {
    try (ResultSet rs = query("SELECT last_insert_rowid()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private PreparedStatement prepare(String sql, Object... args) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = db.prepareStatement(sql);
      if (statements.size() < MAX_STATEMENTS) {
        statements.put(sql, ps);
      }
    } else {
      ps.clearParameters();
    }
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
    return ps;
  }

  @Override
  public void close() throws SQLException {
    for (PreparedStatement ps : statements.values()) {
      ps.close();
    }
    statements.clear();
    db.close();
  }
}

package org.silverlining.node.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.silverlining.node.state.SqliteDatabase;

/**
 * The tasks in the node's SQLite {@code state.db}, in a table of their own on a connection of its
 * own (WAL, {@code synchronous=FULL}): an enqueue is on disk when {@link #enqueue} returns, so it
 * survives {@code kill -9} of the node. A name is unique per location and queue among the rows
 * kept; finished rows are kept (without their body) until {@link #forget}, which is how long a name
 * is remembered.
 */
public final class SqliteTaskStore implements TaskStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};
  private static final String COLUMNS =
      "id, location, queue, name, method, path, headers, body, eta, created, retries,"
          + " first_attempt, state, last_result";

  private final SqliteDatabase db;

  public SqliteTaskStore(Path file) throws SQLException {
    db = new SqliteDatabase(file);
    db.execute(
        "CREATE TABLE IF NOT EXISTS tasks (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            + " location TEXT NOT NULL, queue TEXT NOT NULL, name TEXT, method TEXT NOT NULL,"
            + " path TEXT NOT NULL, headers TEXT NOT NULL, body BLOB, eta INTEGER NOT NULL,"
            + " created INTEGER NOT NULL, retries INTEGER NOT NULL DEFAULT 0,"
            + " first_attempt INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL,"
            + " last_result TEXT, finished INTEGER)");
    db.execute(
        "CREATE UNIQUE INDEX IF NOT EXISTS tasks_name ON tasks(location, queue, name)"
            + " WHERE name IS NOT NULL");
    db.execute("CREATE INDEX IF NOT EXISTS tasks_due ON tasks(state, location, queue, eta)");
    db.execute("CREATE INDEX IF NOT EXISTS tasks_finished ON tasks(finished)");
    // Attempts a stopped node had begun may not have reached the app: they run again.
    db.execute("UPDATE tasks SET state = 'queued' WHERE state = 'running'");
  }

  @Override
  public synchronized Task enqueue(Task.New t) throws Exception {
    long now = System.currentTimeMillis();
    try {
      db.update(
          "INSERT INTO tasks(location, queue, name, method, path, headers, body, eta, created,"
              + " state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued')",
          t.location(),
          t.queue(),
          t.name(),
          t.method(),
          t.path(),
          JSON.writeValueAsString(t.headers()),
          t.body(),
          t.etaMillis(),
          now);
    } catch (SQLException e) {
      if (t.name() != null && e.getMessage() != null && e.getMessage().contains("UNIQUE")) {
        throw new DuplicateTaskException(t.queue(), t.name());
      }
      throw e;
    }
    long id = db.lastInsertId();
    return new Task(
        id,
        t.location(),
        t.queue(),
        t.name(),
        t.method(),
        t.path(),
        t.headers(),
        t.body(),
        t.etaMillis(),
        now,
        0,
        0,
        QUEUED,
        null);
  }

  @Override
  public synchronized List<String[]> dueQueues(long nowMillis) throws SQLException {
    List<String[]> out = new ArrayList<>();
    try (ResultSet rs =
        query(
            "SELECT DISTINCT location, queue FROM tasks WHERE state = 'queued' AND eta <= ?",
            nowMillis)) {
      while (rs.next()) {
        out.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    }
    return out;
  }

  @Override
  public synchronized List<Task> claim(String location, String queue, long nowMillis, int limit)
      throws Exception {
    List<Task> due =
        tasks(
            "WHERE state = 'queued' AND location = ? AND queue = ? AND eta <= ?"
                + " ORDER BY eta, id LIMIT ?",
            location,
            queue,
            nowMillis,
            limit);
    if (due.isEmpty()) {
      return due;
    }
    StringBuilder ids = new StringBuilder();
    for (Task t : due) {
      ids.append(ids.length() == 0 ? "" : ",").append(t.id());
    }
    update("UPDATE tasks SET state = 'running' WHERE id IN (" + ids + ")");
    return due;
  }

  @Override
  public synchronized void done(long id, long nowMillis) throws SQLException {
    update(
        "UPDATE tasks SET state = 'done', body = NULL, finished = ? WHERE id = ?", nowMillis, id);
  }

  @Override
  public synchronized void retryLater(
      long id, int retries, long firstAttemptMillis, long etaMillis, String result)
      throws SQLException {
    update(
        "UPDATE tasks SET state = 'queued', retries = ?, first_attempt = ?, eta = ?,"
            + " last_result = ? WHERE id = ?",
        retries,
        firstAttemptMillis,
        etaMillis,
        result,
        id);
  }

  @Override
  public synchronized void dead(long id, int retries, long firstAttemptMillis, String result)
      throws SQLException {
    update(
        "UPDATE tasks SET state = 'dead', retries = ?, first_attempt = ?, last_result = ?,"
            + " finished = ? WHERE id = ?",
        retries,
        firstAttemptMillis,
        result,
        System.currentTimeMillis(),
        id);
  }

  @Override
  public synchronized boolean revive(String location, long id, long nowMillis) throws SQLException {
    return update(
            "UPDATE tasks SET state = 'queued', retries = 0, first_attempt = 0, eta = ?,"
                + " finished = NULL WHERE id = ? AND location = ? AND state = 'dead'",
            nowMillis,
            id,
            location)
        == 1;
  }

  @Override
  public synchronized int purge(String location, String queue, long nowMillis) throws SQLException {
    return update(
        "UPDATE tasks SET state = 'purged', body = NULL, finished = ?"
            + " WHERE location = ? AND queue = ? AND state IN ('queued', 'dead')",
        nowMillis,
        location,
        queue);
  }

  @Override
  public synchronized int forget(long cutoffMillis) throws SQLException {
    return update(
        "DELETE FROM tasks WHERE state IN ('done', 'purged') AND finished < ?", cutoffMillis);
  }

  @Override
  public synchronized Map<String, Map<String, Integer>> counts(String location)
      throws SQLException {
    Map<String, Map<String, Integer>> out = new TreeMap<>();
    try (ResultSet rs =
        query(
            "SELECT queue, state, COUNT(*) FROM tasks WHERE location = ? GROUP BY queue, state",
            location)) {
      while (rs.next()) {
        out.computeIfAbsent(rs.getString(1), q -> new LinkedHashMap<>())
            .put(rs.getString(2), rs.getInt(3));
      }
    }
    return out;
  }

  @Override
  public synchronized List<Task> failures(String location, int limit) throws Exception {
    return tasks(
        "WHERE location = ? AND (state = 'dead' OR (state IN ('queued', 'running')"
            + " AND retries > 0)) ORDER BY COALESCE(finished, eta) DESC, id DESC LIMIT ?",
        location,
        limit);
  }

  @Override
  public synchronized Task task(long id) throws Exception {
    List<Task> l = tasks("WHERE id = ?", id);
    return l.isEmpty() ? null : l.get(0);
  }

  private List<Task> tasks(String where, Object... args) throws SQLException {
    List<Task> out = new ArrayList<>();
    try (ResultSet rs = query("SELECT " + COLUMNS + " FROM tasks " + where, args)) {
      while (rs.next()) {
        out.add(
            new Task(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                headers(rs.getString(7)),
                rs.getBytes(8),
                rs.getLong(9),
                rs.getLong(10),
                rs.getInt(11),
                rs.getLong(12),
                rs.getString(13),
                rs.getString(14)));
      }
    }
    return out;
  }

  private static Map<String, String> headers(String json) throws SQLException {
    try {
      return JSON.readValue(json, HEADERS);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable task headers: " + e.getMessage(), e);
    }
  }

  private int update(String sql, Object... args) throws SQLException {
    return db.update(sql, args);
  }

  private ResultSet query(String sql, Object... args) throws SQLException {
    return db.query(sql, args);
  }

  @Override
  public synchronized void close() throws SQLException {
    db.close();
  }
}

package org.silverlining.node.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.silverlining.node.process.DaemonThreads;
import org.silverlining.node.state.SqliteDatabase;
import org.silverlining.node.state.StateSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks in the node's SQLite {@code state.db}, in a table of their own on a connection of its
 * own (WAL). An enqueue is in the write-ahead log when {@link #enqueue} returns, so it survives
 * {@code kill -9} of the node. How soon it is also safe from a power loss is the {@link Sync}
 * setting: synced before {@link #enqueue} returns, or within a second, as Redis' {@code
 * appendfsync} does, because a sync costs far more than the rest of an enqueue (0.2–4 ms against
 * ~0.1 ms). A name is unique per location and queue among the rows kept; finished rows are kept
 * (without their body) until {@link #forget}, which is how long a name is remembered.
 *
 * <p>Only this node reads this store, and a task running when the node stopped is queued again
 * anyway, so claims are kept in memory instead of written: a task costs one commit to enqueue and a
 * share of one commit to finish ({@link #finish} records many outcomes in one transaction).
 */
public final class SqliteTaskStore implements TaskStore {
  private static final Logger log = LoggerFactory.getLogger(SqliteTaskStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};
  private static final String COLUMNS =
      "id, location, queue, name, method, path, headers, body, eta, created, retries,"
          + " first_attempt, state, last_result";

  private final SqliteDatabase db;
  private final ScheduledExecutorService syncer;
  private volatile boolean unsynced;

  /** When a change reaches the disk itself, not only the operating system. */
  public enum Sync {
    /** Before each change returns ({@code synchronous=FULL}). */
    ALWAYS,
    /** Within a second: the write-ahead log is synced by a checkpoint once a second. */
    EVERYSEC;

    /** Parses {@code always} or {@code everysec}. */
    public static Sync parse(String text) {
      for (Sync s : values()) {
        if (s.name().equalsIgnoreCase(text.strip())) {
          return s;
        }
      }
      throw new IllegalArgumentException(
          "[tasks] sync = " + text.strip() + ": write always or everysec");
    }
  }

  /** The claimed tasks whose outcome is not recorded yet: queued in the table, running here. */
  private final Map<Long, Task> running = new HashMap<>();

  /** The store in {@code file}, synced before each change returns. */
  public SqliteTaskStore(Path file) throws SQLException {
    this(file, Sync.ALWAYS);
  }

  public SqliteTaskStore(Path file, Sync sync) throws SQLException {
    db = StateSchema.open(file);
    if (sync == Sync.EVERYSEC) {
      db.execute("PRAGMA synchronous=NORMAL");
      syncer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("tasks-sync"));
      syncer.scheduleWithFixedDelay(this::sync, 1, 1, TimeUnit.SECONDS);
    } else {
      syncer = null;
    }
  }

  @Override
  public synchronized Task enqueue(Task.New t, boolean claim) throws Exception {
    long now = System.currentTimeMillis();
    long id =
        insert(
            t,
            "INSERT INTO tasks(location, queue, name, method, path, headers, body, eta, created,"
                + " state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued')",
            now);
    Task task = t.stored(id, now);
    if (claim) {
      task = task.withState(RUNNING);
      running.put(id, task);
    }
    return task;
  }

  @Override
  public synchronized List<String[]> dueQueues(long nowMillis) throws SQLException {
    List<String[]> out = new ArrayList<>();
    try (ResultSet rs =
        query(
            "SELECT location, queue, COUNT(*) FROM tasks WHERE state = 'queued' AND eta <= ?"
                + " GROUP BY location, queue",
            nowMillis)) {
      while (rs.next()) {
        String location = rs.getString(1);
        String queue = rs.getString(2);
        if (rs.getInt(3) > runningIn(location, queue)) {
          out.add(new String[] {location, queue});
        }
      }
    }
    return out;
  }

  @Override
  public synchronized List<Task> claim(String location, String queue, long nowMillis, int limit)
      throws Exception {
    List<Task> claimed = new ArrayList<>();
    for (Task t :
        tasks(
            "WHERE state = 'queued' AND location = ? AND queue = ? AND eta <= ?"
                + " ORDER BY eta, id LIMIT ?",
            location,
            queue,
            nowMillis,
            limit + runningIn(location, queue))) {
      if (claimed.size() < limit && !running.containsKey(t.id())) {
        Task r = t.withState(RUNNING);
        running.put(t.id(), r);
        claimed.add(r);
      }
    }
    return claimed;
  }

  private int runningIn(String location, String queue) {
    int n = 0;
    for (Task t : running.values()) {
      if (t.location().equals(location) && t.queue().equals(queue)) {
        n++;
      }
    }
    return n;
  }

  @Override
  public void done(long id, long nowMillis) throws SQLException {
    finish(List.of(new Done(id, nowMillis)));
  }

  @Override
  public void retryLater(
      long id, int retries, long firstAttemptMillis, long etaMillis, String result)
      throws SQLException {
    finish(List.of(new Retry(id, retries, firstAttemptMillis, etaMillis, result)));
  }

  @Override
  public void dead(long id, int retries, long firstAttemptMillis, String result)
      throws SQLException {
    finish(List.of(new Dead(id, retries, firstAttemptMillis, result)));
  }

  @Override
  public synchronized void finish(List<Outcome> outcomes) throws SQLException {
    long now = System.currentTimeMillis();
    db.inTransaction(
        () -> {
          for (Outcome o : outcomes) {
            record(o, now);
          }
        });
    for (Outcome o : outcomes) {
      running.remove(o.id());
    }
  }

  private void record(Outcome o, long now) throws SQLException {
    if (o instanceof Done d) {
      update(
          "UPDATE tasks SET state = 'done', body = NULL, finished = ? WHERE id = ?",
          d.nowMillis(),
          d.id());
    } else if (o instanceof Retry r) {
      update(
          "UPDATE tasks SET state = 'queued', retries = ?, first_attempt = ?, eta = ?,"
              + " last_result = ? WHERE id = ?",
          r.retries(),
          r.firstAttemptMillis(),
          r.etaMillis(),
          r.result(),
          r.id());
    } else if (o instanceof Dead d) {
      update(
          "UPDATE tasks SET state = 'dead', retries = ?, first_attempt = ?, last_result = ?,"
              + " finished = ? WHERE id = ?",
          d.retries(),
          d.firstAttemptMillis(),
          d.result(),
          now,
          d.id());
    }
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
            + " WHERE location = ? AND queue = ? AND state IN ('queued', 'dead')"
            + " AND id NOT IN (SELECT value FROM json_each(?))",
        nowMillis,
        location,
        queue,
        running.keySet().toString());
  }

  @Override
  public synchronized Task adopt(Task t) throws Exception {
    boolean dead = DEAD.equals(t.state());
    return task(
        insert(
            t.request(),
            "INSERT INTO tasks(location, queue, name, method, path, headers, body, eta, created,"
                + " retries, first_attempt, state, last_result, finished)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            t.createdMillis(),
            t.retries(),
            t.firstAttemptMillis(),
            dead ? DEAD : QUEUED,
            t.lastResult(),
            dead ? System.currentTimeMillis() : null));
  }

  /**
   * Runs {@code insert} with the fields of {@code t} (location, queue, name, method, path, headers,
   * body, eta), then {@code more}; returns the new row's id.
   *
   * @throws DuplicateTaskException when the name is taken in its queue
   */
  private long insert(Task.New t, String insert, Object... more) throws Exception {
    List<Object> args =
        new ArrayList<>(
            Arrays.asList(
                t.location(),
                t.queue(),
                t.name(),
                t.method(),
                t.path(),
                t.headers().isEmpty() ? "{}" : JSON.writeValueAsString(t.headers()),
                t.body(),
                t.etaMillis()));
    args.addAll(Arrays.asList(more));
    try {
      db.update(insert, args.toArray());
    } catch (SQLException e) {
      if (t.name() != null && e.getMessage() != null && e.getMessage().contains("UNIQUE")) {
        throw new DuplicateTaskException(t.queue(), t.name());
      }
      throw e;
    }
    unsynced = true;
    return db.lastInsertId();
  }

  @Override
  public synchronized void remove(long id) throws SQLException {
    update("DELETE FROM tasks WHERE id = ?", id);
    running.remove(id);
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
    for (Task t : running.values()) {
      if (t.location().equals(location)) {
        Map<String, Integer> q = out.computeIfAbsent(t.queue(), k -> new LinkedHashMap<>());
        q.merge(QUEUED, -1, Integer::sum);
        q.merge(RUNNING, 1, Integer::sum);
        q.remove(QUEUED, 0);
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
        long id = rs.getLong(1);
        out.add(
            running.containsKey(id)
                ? running.get(id)
                : new Task(
                    id,
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
    if (json.equals("{}")) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, HEADERS);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable task headers: " + e.getMessage(), e);
    }
  }

  private int update(String sql, Object... args) throws SQLException {
    unsynced = true;
    return db.update(sql, args);
  }

  /**
   * Syncs the changes made since the last sync: with {@code synchronous=NORMAL} SQLite syncs the
   * write-ahead log before every checkpoint.
   */
  private synchronized void sync() {
    if (!unsynced) {
      return;
    }
    unsynced = false;
    try {
      db.execute("PRAGMA wal_checkpoint(PASSIVE)");
    } catch (SQLException e) {
      unsynced = true;
      log.warn("cannot sync the task store: {}", e.toString());
    }
  }

  private ResultSet query(String sql, Object... args) throws SQLException {
    return db.query(sql, args);
  }

  @Override
  public synchronized void close() throws SQLException {
    if (syncer != null) {
      syncer.shutdownNow();
      sync();
    }
    db.close();
  }
}

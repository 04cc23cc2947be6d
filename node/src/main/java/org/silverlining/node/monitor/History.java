package org.silverlining.node.monitor;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.silverlining.node.state.SqliteDatabase;

/**
 * The node's own series, in {@code ROOT/monitor.db} (a SQLite file of its own, so that monitoring
 * never competes with the state store): one point a minute for {@link #MINUTES_KEPT}, one an hour
 * for {@link #HOURS_KEPT}, for the node and for each location, at most {@link #MAX_SERIES} series.
 * Each series therefore holds at most 2,940 minute and 2,160 hour points (about 0.5 MB); older
 * points are deleted, and finished hours folded, once an hour. Callers serialize their use (the
 * sampler writes once a minute; readers are the management API's threads), so every method is
 * synchronized.
 */
public final class History implements AutoCloseable {
  static final int SCHEMA_VERSION = 2;
  static final Duration MINUTES_KEPT = Duration.ofHours(48);
  static final Duration HOURS_KEPT = Duration.ofDays(90);
  static final int MAX_SERIES = 500;
  static final int MINUTE = 60;
  static final int HOUR = 3600;

  /** The series of the node's own figures; a location's series is its location. */
  public static final String NODE = "node";

  private static final String COLUMNS =
      "t, requests, errors, p50, p95, p99, cpu, rss, load1, mem_available, mem_total, swap_used,"
          + " disk_free, disk_total, cpu_busy, mem_pressure, pings, pings_ok";

  private final SqliteDatabase db;
  private long lastHour = -1;

  public History(Path file) throws SQLException {
    db = new SqliteDatabase(file);
    // Losing the last minute at a power cut is fine for monitoring: no sync per write.
    db.execute("PRAGMA synchronous=NORMAL");
    migrate();
  }

  private void migrate() throws SQLException {
    int version;
    try (ResultSet r = db.query("PRAGMA user_version")) {
      version = r.next() ? r.getInt(1) : 0;
    }
    if (version > SCHEMA_VERSION) {
      throw new SQLException(
          "monitor.db has schema version "
              + version
              + ", newer than this node's "
              + SCHEMA_VERSION
              + "; run a newer node or move the file away");
    }
    if (version < 1) {
      db.inTransaction(
          () -> {
            db.execute(
                "CREATE TABLE IF NOT EXISTS point (series TEXT NOT NULL, res INTEGER NOT NULL,"
                    + " t INTEGER NOT NULL, requests INTEGER, errors INTEGER, p50 REAL, p95 REAL,"
                    + " p99 REAL, cpu REAL, rss INTEGER, load1 REAL, mem_available INTEGER,"
                    + " mem_total INTEGER, swap_used INTEGER, disk_free INTEGER,"
                    + " disk_total INTEGER, cpu_busy REAL, mem_pressure REAL,"
                    + " PRIMARY KEY (series, res, t))");
            db.execute(
                "CREATE TABLE IF NOT EXISTS error_group (instance TEXT NOT NULL,"
                    + " signature TEXT NOT NULL, app TEXT NOT NULL, kind TEXT NOT NULL,"
                    + " type TEXT NOT NULL, message TEXT NOT NULL, sample TEXT NOT NULL,"
                    + " count INTEGER NOT NULL, first_seen INTEGER NOT NULL,"
                    + " last_seen INTEGER NOT NULL, PRIMARY KEY (instance, signature))");
            db.execute("PRAGMA user_version = 1");
          });
    }
    if (version < 2) {
      // Version 2: the ping checks of each period, 0 in the points stored before.
      db.inTransaction(
          () -> {
            db.execute("ALTER TABLE point ADD COLUMN pings INTEGER NOT NULL DEFAULT 0");
            db.execute("ALTER TABLE point ADD COLUMN pings_ok INTEGER NOT NULL DEFAULT 0");
            db.execute("PRAGMA user_version = 2");
          });
    }
  }

  /** The database, for the error groups kept in the same file. */
  SqliteDatabase db() {
    return db;
  }

  /**
   * Stores the minute points of one sampling at once, then folds finished hours and deletes what is
   * past its time. A series beyond {@link #MAX_SERIES} is not stored.
   */
  public synchronized void addMinute(Map<String, Point> points, long nowSeconds)
      throws SQLException {
    List<String> known = series();
    db.inTransaction(
        () -> {
          int count = known.size();
          for (Map.Entry<String, Point> e : points.entrySet()) {
            if (!known.contains(e.getKey())) {
              if (count >= MAX_SERIES) {
                continue;
              }
              count++;
            }
            insert(e.getKey(), MINUTE, e.getValue());
          }
          long hour = Math.floorDiv(nowSeconds, HOUR);
          if (hour != lastHour) {
            // Folding and deleting scan the table: once an hour, as an hour ends.
            rollUp(nowSeconds);
            prune(nowSeconds);
            lastHour = hour;
          }
        });
  }

  private void insert(String series, int res, Point p) throws SQLException {
    db.update(
        "INSERT OR REPLACE INTO point (series, res, "
            + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        series,
        res,
        p.t(),
        p.traffic().requests(),
        p.traffic().errors(),
        p.traffic().p50(),
        p.traffic().p95(),
        p.traffic().p99(),
        p.app().cpu(),
        p.app().rss(),
        p.machine().load1(),
        p.machine().memAvailable(),
        p.machine().memTotal(),
        p.machine().swapUsed(),
        p.machine().diskFree(),
        p.machine().diskTotal(),
        p.machine().cpuBusy(),
        p.machine().memPressure(),
        p.pings().pings(),
        p.pings().ok());
  }

  /** Folds each finished hour that has minute points and no hour point yet into one. */
  private void rollUp(long nowSeconds) throws SQLException {
    long thisHour = Math.floorDiv(nowSeconds, HOUR) * HOUR;
    Map<String, List<Long>> todo = new LinkedHashMap<>();
    try (ResultSet r =
        db.query(
            "SELECT DISTINCT series, (t / 3600) * 3600 AS h FROM point p WHERE res = 60 AND t < ?"
                + " AND NOT EXISTS (SELECT 1 FROM point q WHERE q.series = p.series"
                + " AND q.res = 3600 AND q.t = (p.t / 3600) * 3600)",
            thisHour)) {
      while (r.next()) {
        todo.computeIfAbsent(r.getString(1), s -> new ArrayList<>()).add(r.getLong(2));
      }
    }
    for (Map.Entry<String, List<Long>> e : todo.entrySet()) {
      for (long hour : e.getValue()) {
        List<Point> minutes = read(e.getKey(), MINUTE, hour, hour + HOUR);
        insert(e.getKey(), HOUR, Point.fold(hour, minutes));
      }
    }
  }

  private void prune(long nowSeconds) throws SQLException {
    db.update("DELETE FROM point WHERE res = 60 AND t < ?", nowSeconds - MINUTES_KEPT.toSeconds());
    db.update("DELETE FROM point WHERE res = 3600 AND t < ?", nowSeconds - HOURS_KEPT.toSeconds());
  }

  /** An error group as stored. */
  record ErrorRow(
      String instance,
      String signature,
      String app,
      String kind,
      String type,
      String message,
      String sample,
      long count,
      long firstSeen,
      long lastSeen) {}

  /** Stores {@code rows}, replacing the groups of the same instance and signature. */
  synchronized void saveErrors(List<ErrorRow> rows) throws SQLException {
    db.inTransaction(
        () -> {
          for (ErrorRow r : rows) {
            db.update(
                "INSERT OR REPLACE INTO error_group (instance, signature, app, kind, type, message,"
                    + " sample, count, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                r.instance(),
                r.signature(),
                r.app(),
                r.kind(),
                r.type(),
                r.message(),
                r.sample(),
                r.count(),
                r.firstSeen(),
                r.lastSeen());
          }
        });
  }

  /** Every stored error group seen since {@code fromSeconds}; older ones are deleted. */
  synchronized List<ErrorRow> loadErrors(long fromSeconds) throws SQLException {
    db.update("DELETE FROM error_group WHERE last_seen < ?", fromSeconds);
    List<ErrorRow> out = new ArrayList<>();
    try (ResultSet r =
        db.query(
            "SELECT instance, signature, app, kind, type, message, sample, count, first_seen,"
                + " last_seen FROM error_group ORDER BY first_seen")) {
      while (r.next()) {
        out.add(
            new ErrorRow(
                r.getString(1),
                r.getString(2),
                r.getString(3),
                r.getString(4),
                r.getString(5),
                r.getString(6),
                r.getString(7),
                r.getLong(8),
                r.getLong(9),
                r.getLong(10)));
      }
    }
    return out;
  }

  /** The names of the stored series. */
  public synchronized List<String> series() throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet r = db.query("SELECT DISTINCT series FROM point ORDER BY series")) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    }
    return out;
  }

  /**
   * The points of {@code series} from {@code fromSeconds} on: minute points when the span lies
   * within the minutes kept, hour points otherwise.
   */
  public synchronized List<Point> since(String series, long fromSeconds, long nowSeconds)
      throws SQLException {
    int res = nowSeconds - fromSeconds <= MINUTES_KEPT.toSeconds() ? MINUTE : HOUR;
    return read(series, res, fromSeconds, Long.MAX_VALUE);
  }

  /** The resolution in seconds {@link #since} uses for a span. */
  static int resolutionFor(long fromSeconds, long nowSeconds) {
    return nowSeconds - fromSeconds <= MINUTES_KEPT.toSeconds() ? MINUTE : HOUR;
  }

  /** How many points are stored, by resolution (60 and 3600), for tests and the docs' cap. */
  synchronized Map<Integer, Integer> counts() throws SQLException {
    Map<Integer, Integer> out = new LinkedHashMap<>();
    try (ResultSet r = db.query("SELECT res, COUNT(*) FROM point GROUP BY res ORDER BY res")) {
      while (r.next()) {
        out.put(r.getInt(1), r.getInt(2));
      }
    }
    return out;
  }

  private List<Point> read(String series, int res, long from, long to) throws SQLException {
    List<Point> out = new ArrayList<>();
    try (ResultSet r =
        db.query(
            "SELECT "
                + COLUMNS
                + " FROM point WHERE series = ? AND res = ? AND t >= ? AND t < ? ORDER BY t",
            series,
            res,
            from,
            to)) {
      while (r.next()) {
        out.add(
            new Point(
                r.getLong(1),
                new Point.Traffic(
                    r.getLong(2), r.getLong(3), r.getDouble(4), r.getDouble(5), r.getDouble(6)),
                new Point.AppUsage(r.getDouble(7), r.getLong(8)),
                new Point.Machine(
                    r.getDouble(9),
                    r.getLong(10),
                    r.getLong(11),
                    r.getLong(12),
                    r.getLong(13),
                    r.getLong(14),
                    r.getDouble(15),
                    r.getDouble(16)),
                new PingTally(r.getLong(17), r.getLong(18))));
      }
    }
    return out;
  }

  @Override
  public synchronized void close() throws SQLException {
    db.close();
  }
}

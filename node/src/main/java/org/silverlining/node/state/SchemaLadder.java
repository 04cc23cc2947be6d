package org.silverlining.node.state;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The numbered migrations of one SQLite file, its schema version kept in SQLite's {@code PRAGMA
 * user_version}. Step {@code i} (from 1) takes the file from version {@code i - 1} to {@code i}, in
 * one transaction that also records the new version, so a crash leaves the file at a version, never
 * between two. A file that a release before versioning wrote says 0.
 *
 * <p>Before the first step, a file that holds anything is copied, consistently and with its
 * write-ahead log, to {@code FILE.before-N}, N the version it migrates to; an existing copy of that
 * name is kept (it is the older one, from an upgrade that stopped half-way). A file at a version
 * above the newest step is refused with a {@link NewerFormatException}: this node would misread it.
 */
public final class SchemaLadder {
  private static final Logger log = LoggerFactory.getLogger(SchemaLadder.class);

  /** One migration: changes the schema (and data) from the version before to the next. */
  public interface Step {
    void apply(SqliteDatabase db) throws SQLException;
  }

  private final List<Step> steps;

  /** {@code steps.get(0)} migrates to version 1, {@code steps.get(1)} to version 2, and so on. */
  public SchemaLadder(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  /** The version this ladder leaves a file at. */
  public int latest() {
    return steps.size();
  }

  /**
   * Brings {@code db}, opened on {@code file}, to {@link #latest()}; refuses a newer file.
   *
   * @return the version the file was at
   */
  public int migrate(SqliteDatabase db, Path file) throws SQLException {
    int from = version(db);
    NewerFormatException.check(file.toString() + " (schema, PRAGMA user_version)", from, latest());
    if (from == latest()) {
      return from;
    }
    if (holdsAnything(db)) {
      Path copy = file.resolveSibling(file.getFileName() + ".before-" + latest());
      if (Files.exists(copy)) {
        log.warn("{}: keeping the copy {} an earlier upgrade made", file, copy);
      } else {
        // VACUUM INTO writes a consistent copy that includes what is still in the WAL file.
        db.execute("VACUUM INTO '" + copy.toString().replace("'", "''") + "'");
      }
      log.info("{}: schema version {} -> {}; the file as it was is {}", file, from, latest(), copy);
    }
    for (int v = from + 1; v <= latest(); v++) {
      Step step = steps.get(v - 1);
      int target = v;
      db.inTransaction(
          () -> {
            step.apply(db);
            db.execute("PRAGMA user_version = " + target);
          });
    }
    return from;
  }

  /** The schema version {@code db} says it is at. */
  public static int version(SqliteDatabase db) throws SQLException {
    try (ResultSet rs = db.query("PRAGMA user_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static boolean holdsAnything(SqliteDatabase db) throws SQLException {
    try (ResultSet rs = db.query("SELECT count(*) FROM sqlite_master")) {
      rs.next();
      return rs.getInt(1) > 0;
    }
  }
}

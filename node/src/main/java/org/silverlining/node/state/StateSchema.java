package org.silverlining.node.state;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

/**
 * The schema of the node's {@code state.db}, as a {@link SchemaLadder}: every table the node keeps
 * there, the state store's and the SQLite task store's. A change to a table is a new step at the
 * end of {@link #LADDER}, never an edit of an existing one: a node root written by any release
 * since 0.1 must reach the newest schema by running the steps after its version.
 *
 * <ol>
 *   <li>Release 0.1's schema. Its files have no version (0) and were made by {@code CREATE TABLE IF
 *       NOT EXISTS}, which is what this step runs, so it both takes them over and creates a new
 *       file.
 *   <li>Middleware revisions: each location's packs, every change a numbered revision.
 *   <li>Nodesets: the locations a balancer node spreads over app servers ({@code balanced}), and on
 *       an app server the balancers whose {@code X-Forwarded-*} headers its front keeps ({@code
 *       trusted_balancers}).
 *   <li>Admin users of the dashboard: {@code admin_users}, a password hash each, the TOTP secret
 *       sealed by the node's sealing key (or none) and the last TOTP step used.
 * </ol>
 */
public final class StateSchema {
  private StateSchema() {}

  public static final SchemaLadder LADDER =
      new SchemaLadder(
          List.of(
              StateSchema::release01,
              StateSchema::middlewareRevisions,
              StateSchema::nodesets,
              StateSchema::adminUsers));

  /** Opens {@code file} and brings its schema to the newest version, refusing a newer file. */
  public static SqliteDatabase open(Path file) throws SQLException {
    SqliteDatabase db = new SqliteDatabase(file);
    try {
      LADDER.migrate(db, file);
      return db;
    } catch (SQLException | RuntimeException e) {
      db.close();
      throw e;
    }
  }

  private static void nodesets(SqliteDatabase db) throws SQLException {
    db.execute(
        "CREATE TABLE balanced (location TEXT PRIMARY KEY, nodeset TEXT NOT NULL,"
            + " upstreams TEXT NOT NULL)");
    db.execute("CREATE TABLE trusted_balancers (nodeset TEXT PRIMARY KEY, address TEXT NOT NULL)");
  }

  private static void release01(SqliteDatabase db) throws SQLException {
    db.execute(
        "CREATE TABLE IF NOT EXISTS apps (name TEXT PRIMARY KEY, disabled INTEGER NOT NULL DEFAULT 0)");
    db.execute(
        "CREATE TABLE IF NOT EXISTS instances (name TEXT PRIMARY KEY, app TEXT NOT NULL,"
            + " location TEXT NOT NULL, status TEXT NOT NULL, created TEXT NOT NULL,"
            + " detail TEXT NOT NULL DEFAULT '')");
    db.execute(
        "CREATE TABLE IF NOT EXISTS locations (location TEXT PRIMARY KEY, app TEXT NOT NULL,"
            + " active TEXT, previous TEXT)");
    db.execute(
        "CREATE TABLE IF NOT EXISTS processes (pid INTEGER PRIMARY KEY, instance TEXT NOT NULL,"
            + " started INTEGER NOT NULL)");
    db.execute(
        "CREATE TABLE IF NOT EXISTS cron_runs (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            + " location TEXT NOT NULL, job TEXT NOT NULL, scheduled TEXT NOT NULL,"
            + " started TEXT NOT NULL, millis INTEGER NOT NULL, status TEXT NOT NULL,"
            + " output TEXT NOT NULL)");
    db.execute("CREATE INDEX IF NOT EXISTS cron_runs_job ON cron_runs(location, job, id)");
    db.execute(
        "CREATE TABLE IF NOT EXISTS instance_config (instance TEXT PRIMARY KEY,"
            + " revision INTEGER NOT NULL)");
    db.execute(
        "CREATE TABLE IF NOT EXISTS deployments (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            + " app TEXT NOT NULL, location TEXT NOT NULL, instance TEXT, status TEXT NOT NULL,"
            + " stage TEXT NOT NULL DEFAULT '', error TEXT NOT NULL DEFAULT '',"
            + " started TEXT NOT NULL, finished TEXT, who TEXT NOT NULL DEFAULT '',"
            + " config_before INTEGER NOT NULL DEFAULT 0, config_revision INTEGER NOT NULL DEFAULT 0,"
            + " config_recorded INTEGER NOT NULL DEFAULT 0, checkpoint TEXT, before TEXT,"
            + " before_previous TEXT, location_existed INTEGER NOT NULL DEFAULT 0,"
            + " vcs TEXT NOT NULL DEFAULT '{}', stages TEXT NOT NULL DEFAULT '{}')");
    db.execute("CREATE INDEX IF NOT EXISTS deployments_location ON deployments(location, id)");
    db.execute(
        "CREATE TABLE IF NOT EXISTS switches (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            + " location TEXT NOT NULL, kind TEXT NOT NULL, instance TEXT, replaced TEXT,"
            + " who TEXT NOT NULL, at TEXT NOT NULL)");
    db.execute("CREATE INDEX IF NOT EXISTS switches_location ON switches(location, id)");
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
    // Only finished rows are indexed by when they finished (builds before 0.1 indexed every row).
    db.execute("DROP INDEX IF EXISTS tasks_finished");
    db.execute(
        "CREATE INDEX IF NOT EXISTS tasks_finished_at ON tasks(finished)"
            + " WHERE finished IS NOT NULL");
    // Rows of builds before 0.1, which wrote claims: they run again.
    db.execute("UPDATE tasks SET state = 'queued' WHERE state = 'running'");
  }

  private static void middlewareRevisions(SqliteDatabase db) throws SQLException {
    db.execute(
        "CREATE TABLE middleware_revisions (location TEXT NOT NULL, revision INTEGER NOT NULL,"
            + " packs TEXT NOT NULL, who TEXT NOT NULL, at TEXT NOT NULL, message TEXT NOT NULL,"
            + " PRIMARY KEY (location, revision))");
  }

  private static void adminUsers(SqliteDatabase db) throws SQLException {
    db.execute(
        "CREATE TABLE admin_users (name TEXT PRIMARY KEY, password TEXT NOT NULL,"
            + " totp_secret TEXT, totp_last_step INTEGER NOT NULL DEFAULT 0,"
            + " created TEXT NOT NULL, last_login TEXT)");
  }
}

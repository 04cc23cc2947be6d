package org.silverlining.node.state;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The node's durable state in SQLite (WAL): apps, instances, locations and the processes it
 * started. Every change is committed before the node acts on it, so a restart — even after {@code
 * kill -9} — finds what was acknowledged. One connection, serialized: state changes are rare and
 * small.
 */
public final class StateStore implements AutoCloseable {
  private final SqliteDatabase db;

  /** An instance (deployment) of an app. Status: deploying, ready, failed, removed. */
  public record InstanceRecord(
      String name, String app, String location, String status, String created, String detail) {}

  /** A location and what serves it: the active instance and the one before it. */
  public record LocationRecord(String location, String app, String active, String previous) {}

  /**
   * One run of a cron job (or a skipped one). {@code scheduled} is when it was due, ISO-8601;
   * status is {@code ok}, {@code failed} or {@code skipped}.
   */
  public record CronRunRecord(
      String location,
      String job,
      String scheduled,
      String started,
      long millis,
      String status,
      String output) {}

  /** A process the node started; kept so that a restarted node can find and stop leftovers. */
  public record ProcessRecord(long pid, String instance, long startedMillis) {}

  public StateStore(Path file) throws SQLException {
    db = StateSchema.open(file);
  }

  // --- apps

  public synchronized void ensureApp(String app) throws SQLException {
    update("INSERT OR IGNORE INTO apps(name) VALUES (?)", app);
  }

  public synchronized void setDisabled(String app, boolean disabled) throws SQLException {
    update("UPDATE apps SET disabled = ? WHERE name = ?", disabled ? 1 : 0, app);
  }

  public synchronized List<String> disabledApps() throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = query("SELECT name FROM apps WHERE disabled = 1")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  public synchronized List<String> apps() throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = query("SELECT name FROM apps ORDER BY name")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  // --- instances

  public synchronized void addInstance(String name, String app, String location)
      throws SQLException {
    update(
        "INSERT INTO instances(name, app, location, status, created) VALUES (?, ?, ?, 'deploying', ?)",
        name,
        app,
        location,
        Instant.now().toString());
  }

  /** Records that instance {@code name} runs with configuration revision {@code revision}. */
  public synchronized void setConfigRevision(String name, int revision) throws SQLException {
    update(
        "INSERT OR REPLACE INTO instance_config(instance, revision) VALUES (?, ?)", name, revision);
  }

  /** The configuration revision instance {@code name} was deployed with, if recorded. */
  public synchronized java.util.OptionalInt configRevision(String name) throws SQLException {
    try (ResultSet rs = query("SELECT revision FROM instance_config WHERE instance = ?", name)) {
      return rs.next() ? java.util.OptionalInt.of(rs.getInt(1)) : java.util.OptionalInt.empty();
    }
  }

  public synchronized void setInstanceStatus(String name, String status, String detail)
      throws SQLException {
    update("UPDATE instances SET status = ?, detail = ? WHERE name = ?", status, detail, name);
  }

  public synchronized Optional<InstanceRecord> instance(String name) throws SQLException {
    List<InstanceRecord> l = instances("WHERE name = ?", name);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  /** Every instance name ever used by {@code app} (to pick the next one), newest first. */
  public synchronized List<InstanceRecord> instancesOf(String app) throws SQLException {
    return instances("WHERE app = ? ORDER BY created DESC, name DESC", app);
  }

  public synchronized List<InstanceRecord> instancesWithStatus(String status) throws SQLException {
    return instances("WHERE status = ?", status);
  }

  private List<InstanceRecord> instances(String where, Object... args) throws SQLException {
    List<InstanceRecord> out = new ArrayList<>();
    try (ResultSet rs =
        query(
            "SELECT name, app, location, status, created, detail FROM instances " + where, args)) {
      while (rs.next()) {
        out.add(
            new InstanceRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6)));
      }
    }
    return out;
  }

  // --- locations

  public synchronized Optional<LocationRecord> location(String location) throws SQLException {
    List<LocationRecord> l = locations("WHERE location = ?", location);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  public synchronized List<LocationRecord> locations() throws SQLException {
    return locations("ORDER BY location");
  }

  private List<LocationRecord> locations(String where, Object... args) throws SQLException {
    List<LocationRecord> out = new ArrayList<>();
    try (ResultSet rs =
        query("SELECT location, app, active, previous FROM locations " + where, args)) {
      while (rs.next()) {
        out.add(
            new LocationRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
      }
    }
    return out;
  }

  /** Records what serves {@code location} now; one statement, so a crash leaves old or new. */
  public synchronized void putLocation(LocationRecord r) throws SQLException {
    update(
        "INSERT INTO locations(location, app, active, previous) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT(location) DO UPDATE SET app = excluded.app, active = excluded.active,"
            + " previous = excluded.previous",
        r.location(),
        r.app(),
        r.active(),
        r.previous());
  }

  public synchronized void removeLocation(String location) throws SQLException {
    update("DELETE FROM locations WHERE location = ?", location);
  }

  // --- cron runs

  public synchronized void addCronRun(CronRunRecord r) throws SQLException {
    update(
        "INSERT INTO cron_runs(location, job, scheduled, started, millis, status, output)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)",
        r.location(),
        r.job(),
        r.scheduled(),
        r.started(),
        r.millis(),
        r.status(),
        r.output());
  }

  /** The latest runs of a job, newest first. */
  public synchronized List<CronRunRecord> cronRuns(String location, String job, int limit)
      throws SQLException {
    List<CronRunRecord> out = new ArrayList<>();
    try (ResultSet rs =
        query(
            "SELECT location, job, scheduled, started, millis, status, output FROM cron_runs"
                + " WHERE location = ? AND job = ? ORDER BY id DESC LIMIT ?",
            location,
            job,
            limit)) {
      while (rs.next()) {
        out.add(
            new CronRunRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getLong(5),
                rs.getString(6),
                rs.getString(7)));
      }
    }
    return out;
  }

  // --- processes

  public synchronized void addProcess(long pid, String instance, long startedMillis)
      throws SQLException {
    update(
        "INSERT OR REPLACE INTO processes(pid, instance, started) VALUES (?, ?, ?)",
        pid,
        instance,
        startedMillis);
  }

  public synchronized void removeProcess(long pid) throws SQLException {
    update("DELETE FROM processes WHERE pid = ?", pid);
  }

  public synchronized List<ProcessRecord> processes() throws SQLException {
    List<ProcessRecord> out = new ArrayList<>();
    try (ResultSet rs = query("SELECT pid, instance, started FROM processes")) {
      while (rs.next()) {
        out.add(new ProcessRecord(rs.getLong(1), rs.getString(2), rs.getLong(3)));
      }
    }
    return out;
  }

  // --- deployments (the registry of every attempted deployment)

  /**
   * One attempted deployment. {@code status}: running, ok, failed. {@code stage}: the stage
   * running, or the one that failed. {@code stages}: JSON, stage name to milliseconds. {@code vcs}:
   * JSON facts of the uploaded tree. {@code before}/{@code beforePrevious}: what served the
   * location ({@code null}: nothing); {@code checkpoint}: the checkpoint id taken before the data
   * could change; {@code configBefore}/{@code configRevision}: the revisions before and after,
   * {@code configRecorded} when the deployment recorded a new one.
   */
  public record DeploymentRecord(
      long id,
      String app,
      String location,
      String instance,
      String status,
      String stage,
      String error,
      String started,
      String finished,
      String who,
      int configBefore,
      int configRevision,
      boolean configRecorded,
      String checkpoint,
      String before,
      String beforePrevious,
      boolean locationExisted,
      String vcs,
      String stages) {}

  /** Records a deployment that begins now (status running); returns its id. */
  public synchronized long addDeployment(
      String app, String location, String who, LocationRecord before, String vcs)
      throws SQLException {
    update(
        "INSERT INTO deployments(app, location, status, stage, started, who, before,"
            + " before_previous, location_existed, vcs) VALUES (?, ?, 'running', 'upload', ?, ?, ?,"
            + " ?, ?, ?)",
        app,
        location,
        Instant.now().toString(),
        who,
        before == null ? null : before.active(),
        before == null ? null : before.previous(),
        before == null ? 0 : 1,
        vcs);
    try (ResultSet rs = query("SELECT max(id) FROM deployments")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Records what served the location when deployment {@code id} got its turn. */
  public synchronized void setDeploymentBefore(long id, LocationRecord before) throws SQLException {
    update(
        "UPDATE deployments SET before = ?, before_previous = ?, location_existed = ? WHERE id = ?",
        before == null ? null : before.active(),
        before == null ? null : before.previous(),
        before == null ? 0 : 1,
        id);
  }

  /** Records that deployment {@code id} entered {@code stage}, with the stage timings so far. */
  public synchronized void setDeploymentStage(long id, String stage, String stages)
      throws SQLException {
    update("UPDATE deployments SET stage = ?, stages = ? WHERE id = ?", stage, stages, id);
  }

  /** Records the new instance's name of deployment {@code id}. */
  public synchronized void setDeploymentInstance(long id, String instance) throws SQLException {
    update("UPDATE deployments SET instance = ? WHERE id = ?", instance, id);
  }

  /** Records the configuration revisions of deployment {@code id}. */
  public synchronized void setDeploymentConfig(long id, int before, int revision, boolean recorded)
      throws SQLException {
    update(
        "UPDATE deployments SET config_before = ?, config_revision = ?, config_recorded = ?"
            + " WHERE id = ?",
        before,
        revision,
        recorded ? 1 : 0,
        id);
  }

  /** Records the checkpoint taken by deployment {@code id}. */
  public synchronized void setDeploymentCheckpoint(long id, String checkpoint) throws SQLException {
    update("UPDATE deployments SET checkpoint = ? WHERE id = ?", checkpoint, id);
  }

  /**
   * Records how deployment {@code id} ended: {@code ok}, or {@code failed} with the failing {@code
   * stage} and {@code error}.
   */
  public synchronized void finishDeployment(
      long id, String status, String stage, String error, String stages) throws SQLException {
    update(
        "UPDATE deployments SET status = ?, stage = ?, error = ?, stages = ?, finished = ?"
            + " WHERE id = ?",
        status,
        stage,
        error,
        stages,
        Instant.now().toString(),
        id);
  }

  /** The deployments at {@code location}, newest first. */
  public synchronized List<DeploymentRecord> deploymentsAt(String location, int limit)
      throws SQLException {
    return deployments("WHERE location = ? ORDER BY id DESC LIMIT ?", location, limit);
  }

  /** The deployment that created {@code instance}. */
  public synchronized Optional<DeploymentRecord> deploymentOf(String instance) throws SQLException {
    List<DeploymentRecord> l = deployments("WHERE instance = ? ORDER BY id DESC LIMIT 1", instance);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  /** Deployments with {@code status}, oldest first. */
  public synchronized List<DeploymentRecord> deploymentsWithStatus(String status)
      throws SQLException {
    return deployments("WHERE status = ? ORDER BY id", status);
  }

  private List<DeploymentRecord> deployments(String where, Object... args) throws SQLException {
    List<DeploymentRecord> out = new ArrayList<>();
    try (ResultSet rs =
        query(
            "SELECT id, app, location, instance, status, stage, error, started, finished, who,"
                + " config_before, config_revision, config_recorded, checkpoint, before,"
                + " before_previous, location_existed, vcs, stages FROM deployments "
                + where,
            args)) {
      while (rs.next()) {
        out.add(
            new DeploymentRecord(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                rs.getString(10),
                rs.getInt(11),
                rs.getInt(12),
                rs.getInt(13) != 0,
                rs.getString(14),
                rs.getString(15),
                rs.getString(16),
                rs.getInt(17) != 0,
                rs.getString(18),
                rs.getString(19)));
      }
    }
    return out;
  }

  // --- switches (what served a location changed without a deployment)

  /**
   * A change of what serves {@code location} made by hand: {@code kind} is rollback, activate or
   * deactivate; {@code instance} serves now (null after deactivate), {@code replaced} served
   * before.
   */
  public record SwitchRecord(
      long id,
      String location,
      String kind,
      String instance,
      String replaced,
      String who,
      String at) {}

  /** Records a switch at {@code location} made now. */
  public synchronized void addSwitch(
      String location, String kind, String instance, String replaced, String who)
      throws SQLException {
    update(
        "INSERT INTO switches(location, kind, instance, replaced, who, at) VALUES (?, ?, ?, ?, ?, ?)",
        location,
        kind,
        instance,
        replaced,
        who,
        Instant.now().toString());
  }

  /** The switches at {@code location}, newest first. */
  public synchronized List<SwitchRecord> switchesAt(String location, int limit)
      throws SQLException {
    List<SwitchRecord> out = new ArrayList<>();
    try (ResultSet rs =
        query(
            "SELECT id, location, kind, instance, replaced, who, at FROM switches"
                + " WHERE location = ? ORDER BY id DESC LIMIT ?",
            location,
            limit)) {
      while (rs.next()) {
        out.add(
            new SwitchRecord(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7)));
      }
    }
    return out;
  }

  // --- middleware

  /**
   * One revision of a location's middleware: its packs as JSON, who made it, when (ISO-8601) and
   * what it did.
   */
  public record MiddlewareRevisionRecord(
      String location, int revision, String packs, String who, String at, String message) {}

  /** Records the next revision of {@code location}'s middleware and returns it. */
  public synchronized MiddlewareRevisionRecord addMiddlewareRevision(
      String location, String packs, String who, String message) throws SQLException {
    int[] next = new int[1];
    String at = Instant.now().toString();
    db.inTransaction(
        () -> {
          try (ResultSet rs =
              query(
                  "SELECT COALESCE(MAX(revision), 0) + 1 FROM middleware_revisions"
                      + " WHERE location = ?",
                  location)) {
            rs.next();
            next[0] = rs.getInt(1);
          }
          update(
              "INSERT INTO middleware_revisions(location, revision, packs, who, at, message)"
                  + " VALUES (?, ?, ?, ?, ?, ?)",
              location,
              next[0],
              packs,
              who,
              at,
              message);
        });
    return new MiddlewareRevisionRecord(location, next[0], packs, who, at, message);
  }

  /** The revisions of {@code location}'s middleware, newest first. */
  public synchronized List<MiddlewareRevisionRecord> middlewareRevisions(String location)
      throws SQLException {
    return middlewareRows(
        "SELECT location, revision, packs, who, at, message FROM middleware_revisions"
            + " WHERE location = ? ORDER BY revision DESC",
        location);
  }

  /** The newest revision of every location that has one. */
  public synchronized List<MiddlewareRevisionRecord> newestMiddleware() throws SQLException {
    return middlewareRows(
        "SELECT location, revision, packs, who, at, message FROM middleware_revisions m"
            + " WHERE revision = (SELECT MAX(revision) FROM middleware_revisions"
            + " WHERE location = m.location) ORDER BY location");
  }

  private List<MiddlewareRevisionRecord> middlewareRows(String sql, Object... args)
      throws SQLException {
    List<MiddlewareRevisionRecord> out = new ArrayList<>();
    try (ResultSet rs = query(sql, args)) {
      while (rs.next()) {
        out.add(
            new MiddlewareRevisionRecord(
                rs.getString(1),
                rs.getInt(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6)));
      }
    }
    return out;
  }

  // --- plumbing

  // --- admin users of the dashboard

  /**
   * An admin user: the password hash, the sealed TOTP secret or null, the last TOTP step that
   * logged in (a code works once), when made and last logged in (ISO-8601, or null).
   */
  public record AdminUserRecord(
      String name,
      String passwordHash,
      String totpSecret,
      long totpLastStep,
      String created,
      String lastLogin) {}

  /** Adds an admin user; false when one of that name exists. */
  public synchronized boolean addAdminUser(String name, String passwordHash, String totpSecret)
      throws SQLException {
    return db.update(
            "INSERT OR IGNORE INTO admin_users(name, password, totp_secret, created)"
                + " VALUES (?, ?, ?, ?)",
            name,
            passwordHash,
            totpSecret,
            Instant.now().toString())
        == 1;
  }

  public synchronized boolean removeAdminUser(String name) throws SQLException {
    return db.update("DELETE FROM admin_users WHERE name = ?", name) == 1;
  }

  public synchronized Optional<AdminUserRecord> adminUser(String name) throws SQLException {
    List<AdminUserRecord> l = adminUsers("WHERE name = ?", name);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  public synchronized List<AdminUserRecord> adminUsers() throws SQLException {
    return adminUsers("ORDER BY name");
  }

  /**
   * Records a login of {@code name} with TOTP step {@code step} (0 without TOTP); false, and
   * nothing recorded, when a step as late or later was used already: the code was replayed.
   */
  public synchronized boolean recordAdminLogin(String name, long step) throws SQLException {
    return db.update(
            "UPDATE admin_users SET last_login = ?, totp_last_step = max(totp_last_step, ?)"
                + " WHERE name = ? AND (? = 0 OR totp_last_step < ?)",
            Instant.now().toString(),
            step,
            name,
            step,
            step)
        == 1;
  }

  private List<AdminUserRecord> adminUsers(String where, Object... args) throws SQLException {
    List<AdminUserRecord> out = new ArrayList<>();
    try (ResultSet rs =
        query(
            "SELECT name, password, totp_secret, totp_last_step, created, last_login"
                + " FROM admin_users "
                + where,
            args)) {
      while (rs.next()) {
        out.add(
            new AdminUserRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getString(5),
                rs.getString(6)));
      }
    }
    return out;
  }

  private void update(String sql, Object... args) throws SQLException {
    db.update(sql, args);
  }

  private ResultSet query(String sql, Object... args) throws SQLException {
    return db.query(sql, args);
  }

  // --- nodesets

  /**
   * A location this node, in balancer role, spreads over the fronts of a nodeset's app servers
   * ({@code HOST:PORT} each).
   */
  public record BalancedRecord(String location, String nodeset, List<String> upstreams) {
    public BalancedRecord {
      upstreams = List.copyOf(upstreams);
    }
  }

  public synchronized void putBalanced(BalancedRecord r) throws SQLException {
    update(
        "INSERT OR REPLACE INTO balanced(location, nodeset, upstreams) VALUES (?, ?, ?)",
        r.location(),
        r.nodeset(),
        String.join(" ", r.upstreams()));
  }

  public synchronized boolean removeBalanced(String location) throws SQLException {
    return db.update("DELETE FROM balanced WHERE location = ?", location) > 0;
  }

  public synchronized List<BalancedRecord> balanced() throws SQLException {
    List<BalancedRecord> out = new ArrayList<>();
    try (ResultSet rs =
        query("SELECT location, nodeset, upstreams FROM balanced ORDER BY location")) {
      while (rs.next()) {
        out.add(
            new BalancedRecord(
                rs.getString(1), rs.getString(2), List.of(rs.getString(3).split(" "))));
      }
    }
    return out;
  }

  /**
   * From now on the front keeps the {@code X-Forwarded-*} headers of {@code nodeset}'s balancer.
   */
  public synchronized void putTrustedBalancer(String nodeset, String address) throws SQLException {
    update(
        "INSERT OR REPLACE INTO trusted_balancers(nodeset, address) VALUES (?, ?)",
        nodeset,
        address);
  }

  /** The balancers' addresses, by nodeset. */
  public synchronized java.util.Map<String, String> trustedBalancers() throws SQLException {
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    try (ResultSet rs = query("SELECT nodeset, address FROM trusted_balancers")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  @Override
  public synchronized void close() throws SQLException {
    db.close();
  }
}

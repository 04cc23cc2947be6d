package org.silverlining.node.service;

import static org.silverlining.node.service.SqlQuoting.pgIdentifier;
import static org.silverlining.node.service.SqlQuoting.pgLiteral;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.silverlining.node.backupformat.Arrivals;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.backupformat.PostgresBackup;
import org.silverlining.node.backupformat.PostgresTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code service.postgresql} (alias {@code postgis}): a role and a database of the app's own on the
 * PostgreSQL server of {@code [service.postgresql]} in node.ini.
 *
 * <p>Provisioning connects as the admin user (a superuser: PostGIS needs one) and makes the role
 * {@code NAME} with the password kept in the app's secrets, the database {@code NAME} owned by it,
 * and takes the database's {@code CONNECT} privilege away from {@code PUBLIC}, so that no other
 * app's role can open it. Each step checks first, so running it again changes nothing; the role's
 * password is set again every time so that the server and the secrets always agree. The {@code
 * postgis} alias and the option {@code extensions=a,b} add extensions to the app's database.
 */
public final class PostgresService implements Service {
  private static final Logger log = LoggerFactory.getLogger(PostgresService.class);

  static final int CONNECT_TIMEOUT_SECONDS = 5;

  /** How long {@link #clear} waits for the app's own locks before giving up. */
  static final String CLEAR_LOCK_TIMEOUT = "10s";

  /** pg_dump's words, in English, when the server is newer than itself. */
  private static final Pattern SERVER_TOO_NEW =
      Pattern.compile("server version mismatch.*?server version: (\\d+)", Pattern.DOTALL);

  private static final Pattern EXTENSION = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
  private static final String ROLE_ATTRIBUTES = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE";

  @Override
  public boolean usesServer() {
    return true;
  }

  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public List<String> aliases() {
    return List.of("postgis");
  }

  @Override
  public List<String> options() {
    return List.of("extensions");
  }

  @Override
  public void provision(ServiceScope scope) throws ServiceException {
    String name = SqlQuoting.checkedName(scope, name());
    List<String> extensions = extensions(scope);
    ServerSettings server = server(scope);
    String password = ServicePasswords.getOrCreate(scope, name(), name);
    String role = pgIdentifier(name);
    try (Connection admin = connect(server, adminDatabase(scope));
        Statement st = admin.createStatement()) {
      if (exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", name)) {
        st.execute(
            "ALTER ROLE " + role + " WITH " + ROLE_ATTRIBUTES + " PASSWORD " + pgLiteral(password));
      } else {
        st.execute(
            "CREATE ROLE " + role + " " + ROLE_ATTRIBUTES + " PASSWORD " + pgLiteral(password));
      }
      ownDatabase(admin, name, name);
    } catch (SQLException e) {
      throw server.failure("cannot create the role and database '" + name + "'", e);
    }
    createExtensions(server, name, extensions);
  }

  /**
   * Makes database {@code database} (if missing) owned by role {@code role}, which alone may
   * connect to it.
   */
  private static void ownDatabase(Connection admin, String database, String role)
      throws SQLException {
    try (Statement st = admin.createStatement()) {
      String db = pgIdentifier(database);
      if (exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
        st.execute("ALTER DATABASE " + db + " OWNER TO " + pgIdentifier(role));
      } else {
        st.execute("CREATE DATABASE " + db + " OWNER " + pgIdentifier(role));
      }
      st.execute("REVOKE ALL ON DATABASE " + db + " FROM PUBLIC");
      st.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + db + " TO " + pgIdentifier(role));
    }
  }

  @Override
  public Map<String, String> environment(ServiceScope scope) throws ServiceException {
    String name = SqlQuoting.checkedName(scope, name());
    ServerSettings server = server(scope);
    String password = ServicePasswords.stored(scope, name(), name);
    String user = ServerSettings.encode(name);
    String pass = ServerSettings.encode(password);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CONFIG_PG_DBNAME", name);
    env.put("CONFIG_PG_USER", name);
    env.put("CONFIG_PG_PASSWORD", password);
    env.put("CONFIG_PG_HOST", server.host());
    env.put("CONFIG_PG_PORT", Integer.toString(server.port()));
    String url = "postgresql://" + user + ":" + pass + "@" + server.where() + "/" + name;
    env.put("CONFIG_PG_URL", url);
    // The original Silver Lining's name for the same URL, which SQLAlchemy reads as it is.
    env.put("CONFIG_PG_SQLALCHEMY", url);
    env.put(
        "CONFIG_PG_JDBC_URL",
        "jdbc:postgresql://" + server.where() + "/" + name + "?user=" + user + "&password=" + pass);
    return Collections.unmodifiableMap(env);
  }

  /**
   * Empties the app's database: drops the schema {@code public} and everything else the role owns
   * there, makes {@code public} again owned by the role, then provisions again (grants,
   * extensions).
   */
  @Override
  public void clear(ServiceScope scope) throws ServiceException {
    String name = SqlQuoting.checkedName(scope, name());
    ServerSettings server = server(scope);
    boolean present;
    try (Connection admin = connect(server, adminDatabase(scope))) {
      present = exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", name);
    } catch (SQLException e) {
      throw server.failure("cannot look for the database '" + name + "'", e);
    }
    if (present) {
      try (Connection db = connect(server, name);
          Statement st = db.createStatement()) {
        st.execute("SET lock_timeout = " + pgLiteral(CLEAR_LOCK_TIMEOUT));
        st.execute("DROP SCHEMA IF EXISTS public CASCADE");
        st.execute("DROP OWNED BY " + pgIdentifier(name) + " CASCADE");
        st.execute("CREATE SCHEMA public AUTHORIZATION " + pgIdentifier(name));
      } catch (SQLException e) {
        throw server.failure("cannot empty the database '" + name + "'", e);
      }
    }
    provision(scope);
  }

  /**
   * Drops the database (closing the app's connections to it), any a restore left beside it, and the
   * role, and forgets the password.
   */
  @Override
  public void drop(ServiceScope scope) throws ServiceException {
    String name = SqlQuoting.checkedName(scope, name());
    ServerSettings server = server(scope);
    try (Connection admin = connect(server, adminDatabase(scope));
        Statement st = admin.createStatement()) {
      for (String db : List.of(name, besideName("restore", name), besideName("old", name))) {
        dropDatabase(st, db);
      }
      st.execute("DROP ROLE IF EXISTS " + pgIdentifier(name));
    } catch (SQLException e) {
      throw server.failure("cannot drop the database and role '" + name + "'", e);
    }
    ServicePasswords.forget(scope, name(), name);
  }

  @Override
  public String backup(ServiceScope scope, Path dir) throws ServiceException {
    String name = SqlQuoting.checkedName(scope, name());
    ServerSettings server = server(scope);
    try {
      return PostgresBackup.write(target(server, name, name), dir);
    } catch (IOException | BackupException | SQLException e) {
      throw server.failure("cannot back up '" + name + "'", e, clientTooOld(e.getMessage()));
    }
  }

  /** {@link #stage Stages} the restore and puts it in place at once. */
  @Override
  public void restore(ServiceScope scope, Path dir) throws ServiceException {
    Arrivals files;
    try {
      files = Arrivals.of(dir);
    } catch (IOException e) {
      throw new ServiceException("cannot read the backup " + dir + ": " + e.getMessage(), e);
    }
    stage(scope, dir, files).commit();
    // The restore is done: the replaced database goes in the background (a stopped node leaves it
    // to the next restore, which drops it first).
    String name = SqlQuoting.checkedName(scope, name());
    ServerSettings server = server(scope);
    String old = besideName("old", name);
    Thread drop =
        new Thread(
            () -> dropQuietly(scope, server, old, "the database before a restore"), "drop-" + old);
    drop.setDaemon(false); // a short-lived process (silver test, restore --devel) waits for it
    drop.start();
  }

  @Override
  public boolean keepsReplaced() {
    return true;
  }

  /** Backs up the database a restore's swap gave its place to, when it is still there. */
  @Override
  public Optional<String> backupReplaced(ServiceScope scope, Path dir) throws ServiceException {
    String name = SqlQuoting.checkedName(scope, name());
    ServerSettings server = server(scope);
    String old = besideName("old", name);
    try (Connection admin = connect(server, adminDatabase(scope))) {
      if (!exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", old)) {
        return Optional.empty();
      }
    } catch (SQLException e) {
      throw server.failure("cannot look for the database a restore replaced", e);
    }
    try {
      return Optional.of(PostgresBackup.write(target(server, old, name), dir));
    } catch (IOException | BackupException | SQLException e) {
      throw server.failure(
          "cannot back up the database a restore replaced ('" + old + "')",
          e,
          clientTooOld(e.getMessage()));
    }
  }

  @Override
  public void dropReplaced(ServiceScope scope) throws ServiceException {
    ServerSettings server = server(scope);
    try {
      dropDatabase(scope, server, besideName("old", SqlQuoting.checkedName(scope, name())));
    } catch (SQLException e) {
      throw server.failure("cannot drop the database a restore replaced", e);
    }
  }

  /**
   * Loads the backup, as the app's role, into a new database beside the app's, which the app keeps
   * using meanwhile, each table's rows as they arrive; {@link Staged#commit} then swaps the two
   * databases' names in one transaction (closing the app's connections to its database, which it
   * opens again to find the restored data), keeping the replaced one until {@link #dropReplaced}. A
   * failed load leaves the app's database as it was. A database a restore replaced and still keeps
   * is dropped first: whoever keeps it must have taken what it needs from it by then.
   */
  @Override
  public Staged stage(ServiceScope scope, Path dir, Arrivals files) throws ServiceException {
    String name = SqlQuoting.checkedName(scope, name());
    ServerSettings server = server(scope);
    String side = besideName("restore", name);
    String old = besideName("old", name);
    long t0 = System.nanoTime();
    try (Connection admin = connect(server, adminDatabase(scope));
        Statement st = admin.createStatement()) {
      // what a restore stopped by a node crash left behind
      dropDatabase(st, side);
      dropDatabase(st, old);
      ownDatabase(admin, side, name);
    } catch (SQLException e) {
      throw server.failure("cannot make a database to restore '" + name + "' into", e);
    }
    log.info("{}: the database to restore into made in {} ms", name, millisSince(t0));
    Staged staged =
        new Staged() {
          @Override
          public void commit() throws ServiceException {
            swap(scope, server, name, side, old);
          }

          @Override
          public void discard() {
            dropQuietly(scope, server, side, "after a restore that did not happen");
          }
        };
    try {
      createExtensions(server, side, extensions(scope));
      PostgresBackup.restore(target(server, side, name), dir, files);
    } catch (ServiceException e) {
      staged.discard();
      throw e;
    } catch (IOException | BackupException | SQLException e) {
      staged.discard();
      throw server.failure("cannot restore '" + name + "'", e);
    }
    return staged;
  }

  /** Drops {@code database} if it is there, closing its connections. */
  private static void dropDatabase(Statement admin, String database) throws SQLException {
    admin.execute("DROP DATABASE IF EXISTS " + pgIdentifier(database) + " WITH (FORCE)");
  }

  /** {@link #dropDatabase}, saying in the log what {@code database} was when it cannot. */
  private static void dropQuietly(
      ServiceScope scope, ServerSettings server, String database, String what) {
    try {
      dropDatabase(scope, server, database);
    } catch (ServiceException | SQLException e) {
      log.warn("cannot drop {} ({}): {}", database, what, e.toString());
    }
  }

  /** {@link #dropDatabase(Statement, String)} over an admin connection of its own. */
  private static void dropDatabase(ServiceScope scope, ServerSettings server, String database)
      throws ServiceException, SQLException {
    try (Connection admin = connect(server, adminDatabase(scope));
        Statement st = admin.createStatement()) {
      dropDatabase(st, database);
    }
  }

  /** How long a swap tries to find the app's database without a connection, in attempts. */
  private static final int SWAP_ATTEMPTS = 100;

  /**
   * Gives database {@code side} the name {@code name} and the one that had it the name {@code old}.
   * Renaming needs the database without connections: the app's are closed first, and again if one
   * comes back before the rename.
   */
  private static void swap(
      ServiceScope scope, ServerSettings server, String name, String side, String old)
      throws ServiceException {
    long t0 = System.nanoTime();
    try (Connection admin = connect(server, adminDatabase(scope));
        Statement st = admin.createStatement()) {
      for (int attempt = 1; ; attempt++) {
        st.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                + pgLiteral(name)
                + " AND pid <> pg_backend_pid()");
        admin.setAutoCommit(false);
        try {
          st.execute("ALTER DATABASE " + pgIdentifier(name) + " RENAME TO " + pgIdentifier(old));
          st.execute("ALTER DATABASE " + pgIdentifier(side) + " RENAME TO " + pgIdentifier(name));
          admin.commit();
          break;
        } catch (SQLException e) {
          admin.rollback();
          if (!OBJECT_IN_USE.equals(e.getSQLState()) || attempt == SWAP_ATTEMPTS) {
            throw e;
          }
          Thread.sleep(10); // a closed backend takes a moment to go
        } finally {
          admin.setAutoCommit(true);
        }
      }
    } catch (SQLException e) {
      throw server.failure("cannot put the restored database in place of '" + name + "'", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceException("interrupted while putting the restored database in place", e);
    }
    log.info("{}: the restored database took its place in {} ms", name, millisSince(t0));
  }

  /** SQLSTATE 55006: the database is being accessed by other users. */
  private static final String OBJECT_IN_USE = "55006";

  /**
   * The name of a database a restore of {@code name} keeps beside it: a {@code -} no app's database
   * name has, and a hash that keeps it short and apart from every other app's.
   */
  public static String besideName(String kind, String name) {
    byte[] h;
    try {
      h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
    return "silver-" + kind + "-" + HexFormat.of().formatHex(h, 0, 8);
  }

  private static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /**
   * What to do when pg_dump refused a server of a newer major version than its own, which it always
   * does; empty for any other failure.
   */
  static String clientTooOld(String message) {
    Matcher m = SERVER_TOO_NEW.matcher(message == null ? "" : message);
    if (!m.find()) {
      return "";
    }
    return "; the node's pg_dump must be at least as new as the server: install PostgreSQL "
        + m.group(1)
        + "'s client programs on the node (on Debian, postgresql-client-"
        + m.group(1)
        + ": the newest one installed serves every server)";
  }

  /** Database {@code database}, whose objects role {@code role} owns, as backups reach it. */
  private static PostgresTarget target(ServerSettings server, String database, String role) {
    return new PostgresTarget(
        server.host(), server.port(), server.user(), server.password(), database, role);
  }

  /** The extensions the app asked for: the {@code postgis} alias, then {@code extensions=}. */
  static List<String> extensions(ServiceScope scope) throws ServiceException {
    List<String> out = new ArrayList<>();
    if ("postgis".equals(scope.alias())) {
      out.add("postgis");
    }
    String option = scope.options().getOrDefault("extensions", "");
    for (String ext : option.split(",")) {
      if (ext.isEmpty()) {
        continue;
      }
      if (!EXTENSION.matcher(ext).matches()) {
        throw new ServiceException(
            "service." + scope.alias() + ": extensions: '" + ext + "' is not an extension name");
      }
      if (!out.contains(ext)) {
        out.add(ext);
      }
    }
    return out;
  }

  private void createExtensions(ServerSettings server, String database, List<String> extensions)
      throws ServiceException {
    if (extensions.isEmpty()) {
      return;
    }
    try (Connection db = connect(server, database);
        Statement st = db.createStatement()) {
      for (String ext : extensions) {
        if (!exists(db, "SELECT 1 FROM pg_available_extensions WHERE name = ?", ext)) {
          throw new ServiceException(missingExtension(server, db, ext));
        }
        st.execute("CREATE EXTENSION IF NOT EXISTS " + pgIdentifier(ext) + " CASCADE");
      }
    } catch (SQLException e) {
      throw server.failure(
          "cannot create the extensions " + extensions + " in '" + database + "'", e);
    }
  }

  private static String missingExtension(ServerSettings server, Connection db, String ext)
      throws SQLException {
    if (ext.equals("postgis")) {
      String major = "15";
      try (Statement st = db.createStatement();
          ResultSet rs = st.executeQuery("SHOW server_version_num")) {
        if (rs.next()) {
          major = Integer.toString(Integer.parseInt(rs.getString(1).strip()) / 10000);
        }
      }
      return "the PostgreSQL server at "
          + server.where()
          + " has no PostGIS; install postgresql-"
          + major
          + "-postgis-3 (or the package for your version)";
    }
    return "the PostgreSQL server at "
        + server.where()
        + " has no extension '"
        + ext
        + "'; install the package that provides it (most are in postgresql-contrib), or remove it"
        + " from extensions= in app.ini";
  }

  static ServerSettings server(ServiceScope scope) throws ServiceException {
    return ServerSettings.of(scope, "postgresql", "PostgreSQL", 5432, "postgres");
  }

  static String adminDatabase(ServiceScope scope) {
    return scope.setting("admin_database", "postgres").strip();
  }

  static Connection connect(ServerSettings server, String database) throws ServiceException {
    Properties p = new Properties();
    p.setProperty("user", server.user());
    if (!server.password().isEmpty()) {
      p.setProperty("password", server.password());
    }
    p.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    p.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    p.setProperty("ApplicationName", "silver node");
    String url = "jdbc:postgresql://" + server.where() + "/" + ServerSettings.encode(database);
    try {
      return DriverManager.getConnection(url, p);
    } catch (SQLException e) {
      throw server.unreachable(e);
    }
  }

  static boolean exists(Connection c, String query, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(query)) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }
}

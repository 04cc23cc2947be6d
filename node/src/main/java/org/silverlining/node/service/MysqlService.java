package org.silverlining.node.service;

import static org.silverlining.node.service.SqlQuoting.mysqlGrantDatabase;
import static org.silverlining.node.service.SqlQuoting.mysqlIdentifier;
import static org.silverlining.node.service.SqlQuoting.mysqlLiteral;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.backupformat.MysqlBackup;
import org.silverlining.node.backupformat.MysqlTarget;

/**
 * {@code service.mysql} (alias {@code mariadb}): a user and a database of the app's own on the
 * MySQL or MariaDB server of {@code [service.mysql]} in node.ini.
 *
 * <p>Provisioning connects as the admin user and makes the users {@code 'NAME'@'%'} and {@code
 * 'NAME'@'localhost'} (the second so that an anonymous local user cannot shadow the first) with the
 * password kept in the app's secrets, the database {@code NAME}, and grants the users everything on
 * that database and nothing else. Each step checks first; the password is set again every time so
 * that the server and the secrets always agree.
 */
public final class MysqlService implements Service {
  static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  /** The hosts each app user exists for. */
  static final List<String> USER_HOSTS = List.of("%", "localhost");

  @Override
  public boolean usesServer() {
    return true;
  }

  @Override
  public String name() {
    return "mysql";
  }

  @Override
  public List<String> aliases() {
    return List.of("mariadb");
  }

  @Override
  public void provision(ServiceScope scope) throws ServiceException {
    String name = SqlQuoting.checkedName(scope, name());
    ServerSettings server = server(scope);
    String password = ServicePasswords.getOrCreate(scope, name(), name);
    try (Connection admin = connect(server);
        Statement st = admin.createStatement()) {
      for (String host : USER_HOSTS) {
        String user = account(name, host);
        String verb = userExists(admin, name, host) ? "ALTER USER " : "CREATE USER ";
        st.execute(verb + user + " IDENTIFIED BY " + mysqlLiteral(password));
      }
      st.execute(
          "CREATE DATABASE IF NOT EXISTS " + mysqlIdentifier(name) + " CHARACTER SET utf8mb4");
      for (String host : USER_HOSTS) {
        st.execute(
            "GRANT ALL PRIVILEGES ON " + mysqlGrantDatabase(name) + ".* TO " + account(name, host));
      }
    } catch (SQLException e) {
      throw server.failure("cannot create the user and database '" + name + "'", e);
    }
  }

  @Override
  public Map<String, String> environment(ServiceScope scope) throws ServiceException {
    String name = SqlQuoting.checkedName(scope, name());
    ServerSettings server = server(scope);
    String password = ServicePasswords.stored(scope, name(), name);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CONFIG_MYSQL_DBNAME", name);
    env.put("CONFIG_MYSQL_USERNAME", name);
    env.put("CONFIG_MYSQL_PASSWORD", password);
    env.put("CONFIG_MYSQL_HOST", server.host());
    env.put("CONFIG_MYSQL_PORT", Integer.toString(server.port()));
    env.put(
        "CONFIG_MYSQL_SQLALCHEMY",
        "mysql://"
            + ServerSettings.encode(name)
            + ":"
            + ServerSettings.encode(password)
            + "@"
            + server.where()
            + "/"
            + name);
    env.put(
        "CONFIG_MYSQL_JDBC_URL",
        "jdbc:mariadb://"
            + server.where()
            + "/"
            + name
            + "?user="
            + ServerSettings.encode(name)
            + "&password="
            + ServerSettings.encode(password));
    return Collections.unmodifiableMap(env);
  }

  /** Drops and recreates the app's database; its grants stay, as they are kept by name. */
  @Override
  public void clear(ServiceScope scope) throws ServiceException {
    String name = SqlQuoting.checkedName(scope, name());
    ServerSettings server = server(scope);
    try (Connection admin = connect(server);
        Statement st = admin.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + mysqlIdentifier(name));
    } catch (SQLException e) {
      throw server.failure("cannot empty the database '" + name + "'", e);
    }
    provision(scope);
  }

  @Override
  public void drop(ServiceScope scope) throws ServiceException {
    String name = SqlQuoting.checkedName(scope, name());
    ServerSettings server = server(scope);
    try (Connection admin = connect(server);
        Statement st = admin.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + mysqlIdentifier(name));
      for (String host : USER_HOSTS) {
        st.execute("DROP USER IF EXISTS " + account(name, host));
      }
    } catch (SQLException e) {
      throw server.failure("cannot drop the database and users '" + name + "'", e);
    }
    ServicePasswords.forget(scope, name(), name);
  }

  @Override
  public String backup(ServiceScope scope, Path dir) throws ServiceException {
    String name = SqlQuoting.checkedName(scope, name());
    ServerSettings server = server(scope);
    try {
      return MysqlBackup.write(target(server, name), dir);
    } catch (IOException | BackupException | SQLException e) {
      throw server.failure("cannot back up '" + name + "'", e);
    }
  }

  /** Clears the database (see {@link #clear}), then loads the backup. */
  @Override
  public void restore(ServiceScope scope, Path dir) throws ServiceException {
    String name = SqlQuoting.checkedName(scope, name());
    ServerSettings server = server(scope);
    clear(scope);
    try {
      MysqlBackup.restore(target(server, name), dir);
    } catch (IOException | BackupException | SQLException e) {
      throw server.failure("cannot restore '" + name + "'", e);
    }
  }

  private static MysqlTarget target(ServerSettings server, String name) {
    return new MysqlTarget(server.host(), server.port(), server.user(), server.password(), name);
  }

  private static String account(String name, String host) {
    return mysqlLiteral(name) + "@" + mysqlLiteral(host);
  }

  private static boolean userExists(Connection admin, String name, String host)
      throws SQLException {
    try (PreparedStatement ps =
        admin.prepareStatement("SELECT 1 FROM mysql.user WHERE User = ? AND Host = ?")) {
      ps.setString(1, name);
      ps.setString(2, host);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static ServerSettings server(ServiceScope scope) throws ServiceException {
    return ServerSettings.of(scope, "mysql", "MySQL/MariaDB", 3306, "root");
  }

  private static Connection connect(ServerSettings server) throws ServiceException {
    Properties p = new Properties();
    p.setProperty("user", server.user());
    p.setProperty("password", server.password());
    p.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_MILLIS));
    try {
      return DriverManager.getConnection("jdbc:mariadb://" + server.where() + "/", p);
    } catch (SQLException e) {
      throw server.unreachable(e);
    }
  }
}

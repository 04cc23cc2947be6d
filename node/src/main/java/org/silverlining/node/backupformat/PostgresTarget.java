package org.silverlining.node.backupformat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * An app's PostgreSQL database as the backup reaches it: the server, its admin user (who reads
 * every table and sets {@code session_replication_role}), the database and the app's role, which
 * owns what a restore makes.
 */
public record PostgresTarget(
    String host, int port, String adminUser, String adminPassword, String database, String role) {

  static final int CONNECT_TIMEOUT_SECONDS = 5;

  Connection connect() throws SQLException {
    return connect(false);
  }

  /**
   * A connection as the admin; with {@code simpleQueries}, one that sends a statement's text as it
   * is in one query message, so that a text of many statements runs as one transaction.
   */
  Connection connect(boolean simpleQueries) throws SQLException {
    Properties p = new Properties();
    if (simpleQueries) {
      p.setProperty("preferQueryMode", "simple");
    }
    p.setProperty("user", adminUser);
    if (!adminPassword.isEmpty()) {
      p.setProperty("password", adminPassword);
    }
    p.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    p.setProperty("ApplicationName", "silver backup");
    String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return DriverManager.getConnection(
        "jdbc:postgresql://"
            + h
            + ":"
            + port
            + "/"
            + URLEncoder.encode(database, StandardCharsets.UTF_8),
        p);
  }

  /** The environment pg_dump needs: the password, never on the command line. */
  Map<String, String> environment() {
    return adminPassword.isEmpty() ? Map.of() : Map.of("PGPASSWORD", adminPassword);
  }
}

package org.silverlining.node.backup;

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
    Properties p = new Properties();
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

  /** The environment pg_dump and psql need: the password, never on the command line. */
  Map<String, String> environment() {
    return adminPassword.isEmpty() ? Map.of() : Map.of("PGPASSWORD", adminPassword);
  }
}

package org.silverlining.node.backupformat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** An app's MySQL/MariaDB database as the backup reaches it: server, admin user, database. */
public record MysqlTarget(
    String host, int port, String adminUser, String adminPassword, String database) {

  static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", adminUser);
    p.setProperty("password", adminPassword);
    p.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_MILLIS));
    String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return DriverManager.getConnection(
        "jdbc:mariadb://"
            + h
            + ":"
            + port
            + "/"
            + URLEncoder.encode(database, StandardCharsets.UTF_8),
        p);
  }
}

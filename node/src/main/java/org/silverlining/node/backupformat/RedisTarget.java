package org.silverlining.node.backupformat;

import org.silverlining.node.resp.RespConnection;

/**
 * An app's keys on a Redis server as the backup reaches them: the server, its admin credentials
 * ({@code adminUser} may be empty: the default user) and the app's key prefix, which a backup
 * leaves out of the names so that they restore under another app's prefix.
 */
public record RedisTarget(
    String host, int port, String adminUser, String adminPassword, String prefix) {
  static final int TIMEOUT_MILLIS = 30_000;

  RespConnection connect() throws java.io.IOException {
    RespConnection c = RespConnection.open(host, port, TIMEOUT_MILLIS);
    try {
      if (!adminPassword.isEmpty()) {
        if (adminUser.isEmpty()) {
          c.call("AUTH", adminPassword);
        } else {
          c.call("AUTH", adminUser, adminPassword);
        }
      }
      return c;
    } catch (java.io.IOException e) {
      c.close();
      throw e;
    }
  }
}

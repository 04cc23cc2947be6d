package org.silverlining.node.backup;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.silverlining.node.service.ServiceMode;
import org.silverlining.node.service.ServiceScope;
import org.silverlining.node.service.ServiceSecrets;

/**
 * The real servers the backup tests use. Outside CI a test whose server does not answer is skipped
 * with the reason; with {@code CI=true} it fails, so a missing server cannot pass for green.
 */
public final class LiveServers {
  private static final SecureRandom RANDOM = new SecureRandom();

  private LiveServers() {}

  public static void require(String what, int port, String howToStart) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
    } catch (IOException e) {
      String reason =
          what
              + " does not answer at 127.0.0.1:"
              + port
              + " ("
              + e.getMessage()
              + "); "
              + howToStart;
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true and " + reason);
      }
      Assumptions.abort("skipped: " + reason);
    }
  }

  public static void requirePostgres() {
    require(
        "PostgreSQL", 5432, "start it with: pg_ctlcluster --skip-systemctl-redirect 15 main start");
  }

  /** An app name no other run uses. */
  public static String uniqueApp(String base) {
    byte[] b = new byte[4];
    RANDOM.nextBytes(b);
    return base + "-" + HexFormat.of().formatHex(b);
  }

  public static ServiceScope scope(String app, String alias, Path dataDir) {
    return new ServiceScope(
        app,
        alias,
        Map.of(),
        ServiceMode.PRODUCTION,
        Map.of(),
        dataDir,
        new ServiceSecrets(dataDir.resolve("secrets")));
  }

  /** Whether the PostgreSQL server has a database named {@code name}. */
  public static boolean databaseExists(String name) throws SQLException {
    try (Connection c =
            DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }
}

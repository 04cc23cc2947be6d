package org.silverlining.node.backup;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.SecureRandom;
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
final class LiveServers {
  private static final SecureRandom RANDOM = new SecureRandom();

  private LiveServers() {}

  static void require(String what, int port, String howToStart) {
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

  static void requirePostgres() {
    require(
        "PostgreSQL", 5432, "start it with: pg_ctlcluster --skip-systemctl-redirect 15 main start");
  }

  /** An app name no other run uses. */
  static String uniqueApp(String base) {
    byte[] b = new byte[4];
    RANDOM.nextBytes(b);
    return base + "-" + HexFormat.of().formatHex(b);
  }

  static ServiceScope scope(String app, String alias, Path dataDir) {
    return new ServiceScope(
        app,
        alias,
        Map.of(),
        ServiceMode.PRODUCTION,
        Map.of(),
        dataDir,
        new ServiceSecrets(dataDir.resolve("secrets")));
  }
}

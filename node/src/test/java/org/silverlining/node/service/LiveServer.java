package org.silverlining.node.service;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The real database servers the service tests run against. Outside CI a test class whose server
 * does not answer is skipped, saying why; in CI ({@code CI=true}) it fails instead, so that a
 * missing server cannot pass for a green build.
 */
final class LiveServer {
  private static final SecureRandom RANDOM = new SecureRandom();

  private LiveServer() {}

  static void require(String what, String host, int port, String howToStart) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2_000);
    } catch (IOException e) {
      String reason =
          what
              + " does not answer at "
              + host
              + ":"
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

  /** An app name no other run uses: {@code base-} and random letters. */
  static String uniqueApp(String base) {
    byte[] b = new byte[4];
    RANDOM.nextBytes(b);
    return base + "-" + HexFormat.of().formatHex(b);
  }

  static ServiceScope scope(
      String app, String alias, Map<String, String> options, ServiceMode mode, Path dir) {
    return scope(app, alias, options, mode, Map.of(), dir);
  }

  static ServiceScope scope(
      String app,
      String alias,
      Map<String, String> options,
      ServiceMode mode,
      Map<String, String> server,
      Path dir) {
    return new ServiceScope(
        app, alias, options, mode, server, dir, new ServiceSecrets(dir.resolve("secrets")));
  }
}

package org.silverlining.node.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogTest {
  @TempDir Path dir;

  @Test
  void valuesGivenToTheManagementApiAreNotLoggedButTheOtherParametersAre() {
    assertThat(AccessLog.withoutValues("/api/v1/global-config?key=K&value=s3cret&secret=true"))
        .isEqualTo("/api/v1/global-config?key=K&value=-&secret=true");
    assertThat(AccessLog.withoutValues("/api/v1/global-config?value=s3cret"))
        .isEqualTo("/api/v1/global-config?value=-");
    assertThat(AccessLog.withoutValues("/shop/?q=1&novalue=2")).isEqualTo("/shop/?q=1&novalue=2");
    assertThat(AccessLog.withoutValues("/plain")).isEqualTo("/plain");
  }

  @Test
  void timeStampsAreIsoInstantsWithMillisecondsAcrossSecondsAndBeforeTheEpoch() throws Exception {
    try (AccessLog accessLog =
        new AccessLog(dir.resolve("access.log"), new LogLimits(8192, 2), request -> null)) {
      for (long millis :
          new long[] {1_796_700_036_123L, 1_796_700_036_999L, 1_796_700_037_000L, 7L, -1L}) {
        StringBuilder line = new StringBuilder();
        accessLog.appendTime(line, millis);
        String expected =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.ofEpochMilli(millis));
        assertThat(line).as("%d", millis).hasToString(expected);
        assertThat(java.time.Instant.parse(line).toEpochMilli()).isEqualTo(millis);
      }
    }
  }

  @Test
  void theLogRotatesUnderItsLimitsWithoutLosingARequestsLine() throws Exception {
    Path file = dir.resolve("logs/access.log");
    AccessLog accessLog = new AccessLog(file, new LogLimits(8192, 20), request -> null);
    Server server = new Server();
    LocalConnector connector = new LocalConnector(server);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            response.setStatus(204);
            callback.succeeded();
            return true;
          }
        });
    server.setRequestLog(accessLog);
    server.start();
    try {
      for (int i = 0; i < 500; i++) {
        String answer =
            connector.getResponse(
                "GET /page/"
                    + i
                    + "?q="
                    + "p".repeat(i % 40)
                    + " HTTP/1.1\r\nHost: a.test\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 204");
      }
    } finally {
      server.stop();
      accessLog.close();
    }

    List<String> lines = new ArrayList<>();
    for (int i = 20; i >= 1; i--) {
      Path older = RotatingFile.rotated(file, i);
      if (Files.exists(older)) {
        assertThat(Files.size(older)).isLessThanOrEqualTo(8192);
        lines.addAll(Files.readAllLines(older));
      }
    }
    lines.addAll(Files.readAllLines(file));
    assertThat(RotatingFile.rotated(file, 2)).exists();
    assertThat(lines).hasSize(500);
    // Jetty logs a request once its response is complete, so neighbours may swap places
    assertThat(lines).allMatch(l -> l.contains(" a.test \"GET /page/") && l.contains("\" 204 0 "));
    assertThat(lines.stream().map(l -> l.replaceAll(".*GET /page/(\\d+)\\?.*", "$1")).distinct())
        .hasSize(500);
  }
}

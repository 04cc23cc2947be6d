package org.silverlining.node.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProbesTest {
  @ParameterizedTest
  @CsvSource({
    "/.env, /.env",
    "/api/.env, /.env",
    "/.git/config, /.git",
    "/.git, /.git",
    "/old/.git/HEAD, /.git",
    "/wp-login.php, /wp-login.php",
    "/WP-Admin/install.php, /wp-admin",
    "/phpMyAdmin/, /phpmyadmin",
    "/.aws/credentials, /.aws",
  })
  void matchesProbesAtAnyDepthAndCase(String path, String probe) {
    assertThat(Probes.BUILT_IN.match(path)).isEqualTo(probe);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/index.html", "/.envoy", "/my.env", "/.github/x", "/environment"})
  void leavesOtherPathsAlone(String path) {
    assertThat(Probes.BUILT_IN.match(path)).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "/x/../y, true",
    "/../etc/passwd, true",
    "/a/.., true",
    "/a/%2e%2e/b, true",
    "/a/%2E%2E%2fb/x, true",
    "/a/..%5cb, true",
    "/a/..;/b, true",
    "/a/..b/c, false",
    "/a.b/c, false",
    "/..., false",
  })
  void seesDotDotSegmentsPlainOrEncoded(String path, boolean climbs) {
    assertThat(BadRequests.climbs(path)).isEqualTo(climbs);
  }

  @org.junit.jupiter.api.Test
  void extraProbesAddToTheBuiltInOnes() {
    Probes p = Probes.BUILT_IN.with(List.of("/backup.zip"));
    assertThat(p.match("/backup.zip")).isEqualTo("/backup.zip");
    assertThat(p.match("/.env")).isEqualTo("/.env");
  }
}

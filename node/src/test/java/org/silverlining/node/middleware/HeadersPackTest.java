package org.silverlining.node.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadersPackTest {
  private final HeadersPack pack = new HeadersPack();

  @Test
  void eachSettingBecomesItsHeaderAndHstsGoesOnHttpsAnswersOnly() {
    Map<String, String> given = new LinkedHashMap<>();
    given.put("csp", "default-src 'self'");
    given.put("hsts", "max-age=31536000");
    given.put("frame", "sameorigin");
    given.put("referrer", "no-referrer");
    given.put("nosniff", "yes");
    given.put("header.X-Robots-Tag", "noindex");
    given.put("header.X-Powered-By", "");
    Middleware m = pack.build(pack.prepare(given));
    Decision.Pass http = (Decision.Pass) m.decide(TestRequest.get("/"));
    assertThat(http.toClient())
        .containsExactly(
            new Header("Content-Security-Policy", "default-src 'self'"),
            new Header("X-Frame-Options", "SAMEORIGIN"),
            new Header("Referrer-Policy", "no-referrer"),
            new Header("X-Content-Type-Options", "nosniff"),
            new Header("X-Robots-Tag", "noindex"),
            Header.remove("X-Powered-By"));
    Decision.Pass https = (Decision.Pass) m.decide(TestRequest.get("/").overHttps());
    assertThat(https.toClient())
        .contains(new Header("Strict-Transport-Security", "max-age=31536000"));
  }

  @Test
  void badValuesAreRefused() {
    assertThatThrownBy(() -> pack.prepare(Map.of("frame", "ALLOWALL")))
        .hasMessageContaining("frame is one of DENY, SAMEORIGIN");
    assertThatThrownBy(() -> pack.prepare(Map.of("csp", "a\r\nSet-Cookie: x=1")))
        .hasMessageContaining("control character");
    assertThatThrownBy(() -> pack.prepare(Map.of("header.Bad Name", "1")))
        .hasMessageContaining("not a header name");
    assertThatThrownBy(() -> pack.prepare(Map.of("cps", "x")))
        .hasMessageContaining("unknown setting 'cps'")
        .hasMessageContaining("header.NAME");
    assertThatThrownBy(() -> pack.prepare(Map.of())).hasMessageContaining("at least one header");
  }
}

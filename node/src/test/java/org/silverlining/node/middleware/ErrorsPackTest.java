package org.silverlining.node.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrorsPackTest {
  private final ErrorsPack pack = new ErrorsPack();

  @TempDir Path app;

  private static String body(Decision.Answer a) {
    return new String(a.body(), StandardCharsets.UTF_8);
  }

  @Test
  void theExactStatusWinsThenThe5xxPageThePacksBeforeTheAppsThenThePlainPage() throws Exception {
    Files.createDirectories(app.resolve("errors"));
    Files.writeString(app.resolve("errors/500.html"), "app 500");
    Files.writeString(app.resolve("errors/502.html"), "app 502");
    Files.writeString(app.resolve("errors/5xx.html"), "app 5xx");
    ErrorPages pages =
        (ErrorPages)
            pack.build(pack.prepare(Map.of("page.502", "pack 502", "page.5xx", "pack 5xx")));
    assertThat(body(pages.page(500, app))).isEqualTo("app 500");
    assertThat(body(pages.page(502, app))).isEqualTo("pack 502");
    assertThat(body(pages.page(503, app))).isEqualTo("pack 5xx");
    Decision.Answer plain = ((ErrorPages) pack.build(pack.prepare(Map.of()))).page(504, null);
    assertThat(plain.status()).isEqualTo(504);
    assertThat(body(plain)).contains("error 504");
    assertThat(plain.headers())
        .containsExactly(
            new Header("Content-Type", "text/html; charset=utf-8"),
            new Header("Cache-Control", "no-store"));
    Files.delete(app.resolve("errors/500.html"));
    ErrorPages appOnly = (ErrorPages) pack.build(Map.of());
    assertThat(body(appOnly.page(500, app))).isEqualTo("app 5xx");
  }

  @Test
  void itPassesEveryRequestAndAChainWithItHasItsPages() {
    Middleware m = pack.build(Map.of());
    assertThat(m.decide(TestRequest.get("/"))).isSameAs(Decision.PASS);
    assertThat(new MiddlewareChain(List.of(m)).errorPages()).isSameAs(m);
    assertThat(new MiddlewareChain(List.of(r -> Decision.PASS)).errorPages()).isNull();
  }

  @Test
  void badSettingsAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> pack.prepare(Map.of("page.404", "x")))
        .hasMessageContaining("page.404: a page is for a status 500 to 599");
    assertThatThrownBy(() -> pack.prepare(Map.of("page.5x", "x"))).hasMessageContaining("page.5x");
    assertThatThrownBy(() -> pack.prepare(Map.of("page.500", " \n")))
        .hasMessageContaining("page.500: the page is empty");
    assertThatThrownBy(() -> pack.prepare(Map.of("page.500", "x".repeat(300_000))))
        .hasMessageContaining("larger than 256 KiB");
    assertThatThrownBy(() -> pack.prepare(Map.of("page", "x")))
        .hasMessageContaining("unknown setting 'page'");
  }
}

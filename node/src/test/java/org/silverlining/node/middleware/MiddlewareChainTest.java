package org.silverlining.node.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MiddlewareChainTest {
  private static final Header CSP = new Header("Content-Security-Policy", "default-src 'self'");

  @Test
  void theFirstAnswerEndsTheChainAndCarriesTheHeadersOfThePacksBeforeIt() {
    Middleware headers = r -> Decision.Pass.withResponseHeaders(List.of(CSP));
    Middleware refuse = r -> Decision.Answer.text(403, "no", null);
    Middleware never =
        r -> {
          throw new AssertionError("asked after an answer");
        };
    Decision d = new MiddlewareChain(List.of(headers, refuse, never)).decide(TestRequest.get("/"));
    assertThat(d)
        .isInstanceOfSatisfying(
            Decision.Answer.class,
            a -> {
              assertThat(a.status()).isEqualTo(403);
              assertThat(a.headers()).startsWith(CSP);
            });
  }

  @Test
  void passesAddUpInOrder() {
    Middleware a = r -> new Decision.Pass(List.of(new Header("X-User", "a")), List.of(CSP));
    Middleware b = r -> new Decision.Pass(List.of(Header.remove("X-Secret")), List.of());
    Decision.Pass p =
        (Decision.Pass) new MiddlewareChain(List.of(a, b)).decide(TestRequest.get("/"));
    assertThat(p.toUpstream())
        .containsExactly(new Header("X-User", "a"), Header.remove("X-Secret"));
    assertThat(p.toClient()).containsExactly(CSP);
    assertThat(MiddlewareChain.EMPTY.decide(TestRequest.get("/"))).isSameAs(Decision.PASS);
  }
}

package org.silverlining.node.middleware;

import java.util.List;

/**
 * A location's middleware in order, immutable: the front asks it about each request. The first pack
 * that answers ends the chain; the response headers of the packs before it still go on that answer
 * (a security header applies to a 401 too).
 */
public final class MiddlewareChain {
  public static final MiddlewareChain EMPTY = new MiddlewareChain(List.of());

  private final Middleware[] parts;
  private final ErrorPages errorPages;

  public MiddlewareChain(List<Middleware> parts) {
    this.parts = parts.toArray(new Middleware[0]);
    this.errorPages =
        parts.stream()
            .filter(ErrorPages.class::isInstance)
            .map(ErrorPages.class::cast)
            .findFirst()
            .orElse(null);
  }

  /** Whether any of its packs may wait on this request ({@link Middleware#mayWait}). */
  public boolean mayWait(RequestView request) {
    for (Middleware m : parts) {
      if (m.mayWait(request)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The pages for 5xx answers from behind the chain (the {@code errors} pack's), or null: the
   * answer must then be watched until its head is sent, which only the full server does (the
   * byte-level path leaves such a location to it).
   */
  public ErrorPages errorPages() {
    return errorPages;
  }

  public boolean isEmpty() {
    return parts.length == 0;
  }

  public Decision decide(RequestView request) {
    Decision.Pass pass = Decision.PASS;
    for (Middleware m : parts) {
      Decision d = m.decide(request);
      if (d instanceof Decision.Answer a) {
        return a.withHeaders(pass.toClient());
      }
      pass = pass.then((Decision.Pass) d);
    }
    return pass;
  }
}

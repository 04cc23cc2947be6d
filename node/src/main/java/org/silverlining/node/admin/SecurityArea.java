package org.silverlining.node.admin;

import java.time.Duration;
import java.time.Instant;
import org.silverlining.core.TimeSpan;
import org.silverlining.node.api.ApiArea;
import org.silverlining.node.api.Endpoint;
import org.silverlining.node.api.Params;
import org.silverlining.node.api.Routes;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.security.SecurityLog;

/** The security log: attempted attacks and refusals, grouped by client and kind. */
final class SecurityArea implements ApiArea {
  static final Duration DEFAULT_SPAN = Duration.ofHours(24);

  private final SecurityLog log;

  SecurityArea(SecurityLog log) {
    this.log = log;
  }

  /** {@code since}: a span back from now ({@code 1h}, {@code 7d}); 24 hours when absent. */
  record SecurityParams(String since) {
    SecurityParams {
      span(since);
    }

    static Duration span(String since) {
      if (Params.optional(since) == null) {
        return DEFAULT_SPAN;
      }
      try {
        return TimeSpan.parse(since);
      } catch (IllegalArgumentException e) {
        throw new InvalidParameterException("since", e.getMessage());
      }
    }
  }

  @Override
  public void addRoutes(Routes routes) {
    routes.get(
        "security",
        Endpoint.json(
            SecurityParams.class,
            (p, c) -> log.report(Instant.now().minus(SecurityParams.span(p.since())))));
  }
}

package org.silverlining.node.admin;

import java.time.Duration;
import org.silverlining.core.TimeSpan;
import org.silverlining.node.api.ApiArea;
import org.silverlining.node.api.Endpoint;
import org.silverlining.node.api.Params;
import org.silverlining.node.api.Routes;
import org.silverlining.node.control.NodeStatus;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.monitor.Monitor;

/** The node's own history: a location's traffic, or the machine with capacity advice. */
final class MonitorArea implements ApiArea {
  static final Duration DEFAULT_SPAN = Duration.ofHours(24);
  static final Duration MAX_SPAN = Duration.ofDays(90);

  private final NodeStatus status;
  private final Monitor monitor;

  MonitorArea(NodeStatus status, Monitor monitor) {
    this.status = status;
    this.monitor = monitor;
  }

  /** A location (none: the machine) and how far back, {@code 24h} when absent. */
  record StatsParams(String location, String since) {
    StatsParams {
      location = Params.optional(location);
      span(since);
    }

    Duration span() {
      return span(since);
    }

    private static Duration span(String since) {
      if (Params.optional(since) == null) {
        return DEFAULT_SPAN;
      }
      Duration d;
      try {
        d = TimeSpan.parse(since);
      } catch (IllegalArgumentException e) {
        throw new InvalidParameterException("since", e.getMessage());
      }
      if (d.isZero() || d.compareTo(MAX_SPAN) > 0) {
        throw new InvalidParameterException(
            "since", "since is a span from 1s to 90d (the history's reach), not " + since);
      }
      return d;
    }
  }

  @Override
  public void addRoutes(Routes routes) {
    routes.get(
        "stats",
        Endpoint.json(
            StatsParams.class,
            (p, c) ->
                p.location() == null
                    ? monitor.stats().node(p.span())
                    : monitor
                        .stats()
                        .location(status.appAt(p.location()), p.location(), p.span())));
  }
}

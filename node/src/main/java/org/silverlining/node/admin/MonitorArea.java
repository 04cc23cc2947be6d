package org.silverlining.node.admin;

import java.time.Duration;
import org.silverlining.core.Location;
import org.silverlining.core.TimeSpan;
import org.silverlining.node.api.ApiArea;
import org.silverlining.node.api.Endpoint;
import org.silverlining.node.api.Params;
import org.silverlining.node.api.Routes;
import org.silverlining.node.control.NodeStatus;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.monitor.LogLevels;
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

  record ErrorsParams(String location) {
    ErrorsParams {
      Params.required("location", location);
    }
  }

  /** An app named by its location, or the node itself; a level; for how long (default 1h). */
  record LogLevelParams(String location, boolean node, String level, String duration) {
    LogLevelParams {
      location = Params.optional(location);
      if (node == (location != null)) {
        throw new InvalidParameterException(
            "location", "give either location or node=true: whose log level to set");
      }
      Params.required("level", level);
      try {
        level = LogLevels.level(level);
      } catch (IllegalArgumentException e) {
        throw new InvalidParameterException("level", e.getMessage());
      }
      span();
    }

    Duration span() {
      if (Params.optional(duration) == null) {
        return DEFAULT_LEVEL_SPAN;
      }
      Duration d;
      try {
        d = TimeSpan.parse(duration);
      } catch (IllegalArgumentException e) {
        throw new InvalidParameterException("duration", e.getMessage());
      }
      if (d.isZero() || d.compareTo(MAX_LEVEL_SPAN) > 0) {
        throw new InvalidParameterException(
            "duration", "a level is raised for 1s to 7d, not " + duration);
      }
      return d;
    }
  }

  static final Duration DEFAULT_LEVEL_SPAN = Duration.ofHours(1);
  static final Duration MAX_LEVEL_SPAN = Duration.ofDays(7);

  @Override
  public void addRoutes(Routes routes) {
    routes.post(
        "log-level",
        Endpoint.json(
            LogLevelParams.class,
            (p, c) ->
                p.node()
                    ? monitor.logLevels().setNode(p.level(), p.span())
                    : monitor.logLevels().set(status.appAt(p.location()), p.level(), p.span())));
    routes.get(
        "errors",
        Endpoint.json(
            ErrorsParams.class,
            (p, c) ->
                monitor.errors(
                    status.appAt(p.location()), Location.parse(p.location()).toString())));
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

package org.silverlining.node.monitor;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.silverlining.core.Location;
import org.silverlining.node.front.AppProxyHandler;
import org.silverlining.node.front.ErrorPageResponse;
import org.silverlining.node.front.LiveInstance;
import org.silverlining.node.front.ProxiedRequest;
import org.silverlining.node.front.RouteMatch;

/**
 * Counts what the front answered, by app and location: requests by status class, durations,
 * response bytes and the time apps took, for {@code /metrics}; and each location's {@link
 * LocationTraffic} for the history. Runs as a request log, after the answer went out, so nothing is
 * added to a request's latency; a request costs a map look-up and a few lock-free adds. Requests
 * that matched no location (the not-found page, the admin API) are not counted.
 */
public final class FrontMetrics implements RequestLog {
  private static final String[] CLASSES = {"1xx", "1xx", "2xx", "3xx", "4xx", "5xx"};

  private final Counter requests;
  private final Histogram duration;
  private final Counter bytes;
  private final Histogram upstream;
  private final ConcurrentMap<Location, Meters> byLocation = new ConcurrentHashMap<>();

  /** Hears of each 5xx answer an app's instance gave (for the error reports). */
  public interface ServerErrors {
    /**
     * @param original what the {@code errors} pack replaced (the app's body, or why the app could
     *     not be reached), or null
     */
    void answered(
        String app, String instance, int status, String method, String path, String original);
  }

  private volatile ServerErrors serverErrors = (app, instance, status, method, path, o) -> {};

  /** Tells {@code listener} of every 5xx answer from now on. */
  public void onServerError(ServerErrors listener) {
    this.serverErrors = listener;
  }

  public FrontMetrics(PrometheusRegistry registry) {
    requests =
        Counter.builder()
            .name("silver_http_requests_total")
            .help("Requests the front answered, by app, location and status class")
            .labelNames("app", "location", "status")
            .register(registry);
    duration =
        Histogram.builder()
            .name("silver_http_request_duration_seconds")
            .help("Time from a request's arrival to the end of its answer, by app")
            .labelNames("app")
            .classicOnly()
            .register(registry);
    bytes =
        Counter.builder()
            .name("silver_http_response_bytes_total")
            .help("Bytes of response bodies the front sent, by app")
            .labelNames("app")
            .register(registry);
    upstream =
        Histogram.builder()
            .name("silver_upstream_duration_seconds")
            .help("Time an app's process took to answer a proxied request, by app")
            .labelNames("app")
            .classicOnly()
            .register(registry);
  }

  @Override
  public void log(Request request, Response response) {
    if (!(request.getAttribute(RouteMatch.ATTRIBUTE) instanceof RouteMatch match)) {
      return;
    }
    count(
        match,
        request.getAttribute(LiveInstance.ATTRIBUTE) instanceof LiveInstance l ? l : null,
        response.getStatus(),
        System.nanoTime() - request.getBeginNanoTime(),
        Response.getContentBytesWritten(response),
        request.getAttribute(AppProxyHandler.UPSTREAM_NANOS) instanceof Long up ? up : -1,
        request.getMethod(),
        request.getHttpURI().getPath(),
        request.getAttribute(ErrorPageResponse.ORIGINAL) instanceof String o ? o : null);
  }

  /** Counts a request the byte-level proxy answered. */
  public void count(ProxiedRequest r) {
    count(
        r.match(),
        r.live(),
        r.status(),
        System.nanoTime() - r.beginNanos(),
        r.bytes(),
        r.upstreamNanos(),
        r.method(),
        r.path(),
        null);
  }

  /**
   * Counts one answer of {@code live} (null when the front answered itself) at {@code match};
   * {@code upstreamNanos} is the app's time, or negative when no app was asked; {@code original}
   * what the errors pack replaced, or null.
   */
  private void count(
      RouteMatch match,
      LiveInstance live,
      int status,
      long nanos,
      long bytes,
      long upstreamNanos,
      String method,
      String path,
      String original) {
    Meters m = meters(match);
    m.byClass[Math.min(5, Math.max(1, status / 100))].inc();
    m.duration.observe(nanos / 1e9);
    m.bytes.inc(bytes);
    if (upstreamNanos >= 0) {
      m.upstream.observe(upstreamNanos / 1e9);
    }
    m.traffic.add(status, nanos);
    if (status >= 500 && live != null) {
      serverErrors.answered(live.app(), live.name(), status, method, path, original);
    } else if (status >= 500 && original != null && match.instance() != null) {
      // The errors pack caught an app that could not be started: still the deployment's error.
      serverErrors.answered(match.route().app(), match.instance(), status, method, path, original);
    }
  }

  private Meters meters(RouteMatch match) {
    Location location = match.route().location();
    String app = match.route().app();
    Meters m = byLocation.get(location);
    if (m == null || !m.traffic.app().equals(app)) {
      // A location taken over by another app starts counting anew under that app.
      m = new Meters(app, location.toString());
      byLocation.put(location, m);
    }
    return m;
  }

  /** The traffic of every location that has answered a request since the node started. */
  public java.util.Collection<LocationTraffic> traffic() {
    return byLocation.values().stream().map(m -> m.traffic).toList();
  }

  /** The traffic of {@code location}, or {@code null} when it has answered nothing. */
  public LocationTraffic traffic(String location) {
    for (Meters m : byLocation.values()) {
      if (m.traffic.location().equals(location)) {
        return m.traffic;
      }
    }
    return null;
  }

  /** The data points of one location, resolved once rather than per request. */
  private final class Meters {
    final CounterDataPoint[] byClass = new CounterDataPoint[6];
    final DistributionDataPoint duration;
    final CounterDataPoint bytes;
    final DistributionDataPoint upstream;
    final LocationTraffic traffic;

    Meters(String app, String location) {
      for (int i = 1; i < 6; i++) {
        byClass[i] = requests.labelValues(app, location, CLASSES[i]);
      }
      duration = FrontMetrics.this.duration.labelValues(app);
      bytes = FrontMetrics.this.bytes.labelValues(app);
      upstream = FrontMetrics.this.upstream.labelValues(app);
      traffic = new LocationTraffic(app, location);
    }
  }
}

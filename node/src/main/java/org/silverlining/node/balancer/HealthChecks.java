package org.silverlining.node.balancer;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks every app server the balancer uses for {@link HealthEndpoint#PATH} every {@link #INTERVAL},
 * over the proxy's own client, without waiting for the answers: an app server that fails {@link
 * Upstream#FAILS_TO_LEAVE} checks in a row (no answer within {@link #TIMEOUT}, or not 200) leaves
 * rotation — within {@code INTERVAL × 2 + TIMEOUT}, 4 s — and comes back after passing {@link
 * Upstream#PASSES_TO_RETURN} in a row.
 */
public final class HealthChecks implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HealthChecks.class);
  static final Duration INTERVAL = Duration.ofSeconds(1);
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final Balancer balancer;
  private final BalancerProxy proxy;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "balancer-health");
            t.setDaemon(true);
            return t;
          });

  public HealthChecks(Balancer balancer, BalancerProxy proxy) {
    this.balancer = balancer;
    this.proxy = proxy;
  }

  /** Starts checking, once the proxy (and its client) has started. */
  public void start() {
    timer.scheduleWithFixedDelay(this::checkAll, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void checkAll() {
    if (!balancer.isBalancing()) {
      return;
    }
    HttpClient client = proxy.getHttpClient();
    for (Upstream u : balancer.upstreams()) {
      try {
        client
            .newRequest(u.host(), u.port())
            .path(HealthEndpoint.PATH)
            .timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .send(
                result -> {
                  boolean wasHealthy = u.healthy();
                  if (result.isSucceeded() && result.getResponse().getStatus() == 200) {
                    u.passed();
                  } else {
                    u.failed();
                  }
                  if (wasHealthy != u.healthy()) {
                    log.warn(
                        "app server {} {}",
                        u.address(),
                        u.healthy()
                            ? "is healthy again: back in rotation"
                            : "failed its health" + " checks: out of rotation");
                  }
                });
      } catch (RuntimeException e) {
        u.failed();
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

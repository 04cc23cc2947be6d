package org.silverlining.node.monitor;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The requests one location answered since the history last took them: a count, the 5xx among them,
 * and their durations. The front adds to it without a lock; the history sampler drains it once a
 * minute into a stored point.
 */
public final class LocationTraffic {
  private final String app;
  private final String location;
  // AtomicLong, not LongAdder: a drain must not lose an add that races with it
  // (LongAdder.sumThenReset can), so that counts match the requests sent.
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final LatencyBuckets latency = new LatencyBuckets();

  LocationTraffic(String app, String location) {
    this.app = app;
    this.location = location;
  }

  public String app() {
    return app;
  }

  public String location() {
    return location;
  }

  void add(int status, long nanos) {
    requests.incrementAndGet();
    if (status >= 500) {
      errors.incrementAndGet();
    }
    latency.add(nanos);
  }

  /** What was counted since the last drain, as a point at {@code minute}; counters start over. */
  Point drain(long minute) {
    long n = requests.getAndSet(0);
    long e = errors.getAndSet(0);
    return Point.ofTraffic(minute, n, e, latency.drain());
  }

  /** What was counted since the last drain, without taking it. */
  Point peek(long minute) {
    return Point.ofTraffic(minute, requests.get(), errors.get(), latency.peek());
  }
}

package org.silverlining.node.monitor;

import java.util.List;

/**
 * One point of the history: a minute (or an hour) of one series. A location's series fills the
 * traffic and process fields; the node's series the machine fields. A figure not measured is -1.
 *
 * @param t the start of the period, epoch seconds
 * @param requests requests answered in the period
 * @param errors the 5xx among them
 * @param p50 median duration, milliseconds
 * @param cpu CPU seconds the app's processes used in the period
 * @param rss the app's resident memory at the end of the period, bytes
 * @param cpuBusy the machine's busy CPU share in the period, 0 to 1
 * @param memPressure the share of time some task waited for memory, 0 to 1
 * @param pings the location's {@code ping} checks that finished in the period
 * @param pingsOk the checks among them that found it up
 */
public record Point(
    long t,
    long requests,
    long errors,
    double p50,
    double p95,
    double p99,
    double cpu,
    long rss,
    double load1,
    long memAvailable,
    long memTotal,
    long swapUsed,
    long diskFree,
    long diskTotal,
    double cpuBusy,
    double memPressure,
    long pings,
    long pingsOk) {

  static Point traffic(long t, long requests, long errors, long[] latency) {
    return new Point(
        t,
        requests,
        errors,
        LatencyBuckets.quantileMillis(latency, 0.50),
        LatencyBuckets.quantileMillis(latency, 0.95),
        LatencyBuckets.quantileMillis(latency, 0.99),
        -1,
        -1,
        -1,
        -1,
        -1,
        -1,
        -1,
        -1,
        -1,
        -1,
        0,
        0);
  }

  Point withProcess(double cpu, long rss) {
    return new Point(
        t,
        requests,
        errors,
        p50,
        p95,
        p99,
        cpu,
        rss,
        load1,
        memAvailable,
        memTotal,
        swapUsed,
        diskFree,
        diskTotal,
        cpuBusy,
        memPressure,
        pings,
        pingsOk);
  }

  /** This point with the ping checks of its period. */
  Point withPings(long pings, long pingsOk) {
    return new Point(
        t,
        requests,
        errors,
        p50,
        p95,
        p99,
        cpu,
        rss,
        load1,
        memAvailable,
        memTotal,
        swapUsed,
        diskFree,
        diskTotal,
        cpuBusy,
        memPressure,
        pings,
        pingsOk);
  }

  /** The share of the period's ping checks that found the location up, or -1 without checks. */
  double pingUp() {
    return pings == 0 ? -1 : (double) pingsOk / pings;
  }

  static Point machine(
      long t,
      double load1,
      long memAvailable,
      long memTotal,
      long swapUsed,
      long diskFree,
      long diskTotal,
      double cpuBusy,
      double memPressure) {
    return new Point(
        t,
        0,
        0,
        -1,
        -1,
        -1,
        -1,
        -1,
        load1,
        memAvailable,
        memTotal,
        swapUsed,
        diskFree,
        diskTotal,
        cpuBusy,
        memPressure,
        0,
        0);
  }

  /**
   * The points of one period folded into one at {@code t}: counts and CPU add up; durations are the
   * request-weighted means of the points' quantiles (an approximation the docs state); machine
   * figures are means, swap and pressure the highest seen; ping checks add up.
   */
  static Point fold(long t, List<Point> points) {
    long requests = 0;
    long errors = 0;
    double p50 = 0;
    double p95 = 0;
    double p99 = 0;
    double cpu = -1;
    long rss = -1;
    Mean load = new Mean();
    Mean avail = new Mean();
    Mean total = new Mean();
    Mean diskFree = new Mean();
    Mean diskTotal = new Mean();
    Mean busy = new Mean();
    long swap = -1;
    double pressure = -1;
    long pings = 0;
    long pingsOk = 0;
    for (Point p : points) {
      pings += p.pings;
      pingsOk += p.pingsOk;
      requests += p.requests;
      errors += p.errors;
      p50 += p.p50 * p.requests;
      p95 += p.p95 * p.requests;
      p99 += p.p99 * p.requests;
      if (p.cpu >= 0) {
        cpu = Math.max(cpu, 0) + p.cpu;
      }
      rss = Math.max(rss, p.rss);
      load.add(p.load1);
      avail.add(p.memAvailable);
      total.add(p.memTotal);
      diskFree.add(p.diskFree);
      diskTotal.add(p.diskTotal);
      busy.add(p.cpuBusy);
      swap = Math.max(swap, p.swapUsed);
      pressure = Math.max(pressure, p.memPressure);
    }
    boolean any = requests > 0;
    return new Point(
        t,
        requests,
        errors,
        any ? p50 / requests : 0,
        any ? p95 / requests : 0,
        any ? p99 / requests : 0,
        cpu,
        rss,
        load.value(),
        (long) avail.value(),
        (long) total.value(),
        swap,
        (long) diskFree.value(),
        (long) diskTotal.value(),
        busy.value(),
        pressure,
        pings,
        pingsOk);
  }

  /** The mean of the figures that were measured (not -1), or -1. */
  private static final class Mean {
    private double sum;
    private int n;

    void add(double v) {
      if (v >= 0) {
        sum += v;
        n++;
      }
    }

    double value() {
      return n == 0 ? -1 : sum / n;
    }
  }
}

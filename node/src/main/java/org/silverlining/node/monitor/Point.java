package org.silverlining.node.monitor;

import java.util.List;

/**
 * One point of the history: a minute (or an hour) of one series, in parts that each source fills. A
 * location's series has the traffic, the app's processes and the ping checks; the node's series the
 * machine. A figure not measured is -1.
 *
 * @param t the start of the period, epoch seconds
 */
public record Point(long t, Traffic traffic, AppUsage app, Machine machine, PingTally pings) {

  /** A location's point with the requests of its period, and nothing else measured. */
  static Point ofTraffic(long t, long requests, long errors, long[] latency) {
    return new Point(
        t, Traffic.of(requests, errors, latency), AppUsage.NONE, Machine.NONE, PingTally.NONE);
  }

  /** The node's point with the machine's figures of its period. */
  static Point ofMachine(long t, Machine machine) {
    return new Point(t, Traffic.NONE, AppUsage.NONE, machine, PingTally.NONE);
  }

  /** This point with the CPU and memory of the app's processes. */
  Point withApp(AppUsage app) {
    return new Point(t, traffic, app, machine, pings);
  }

  /** This point with the ping checks of its period. */
  Point withPings(PingTally pings) {
    return new Point(t, traffic, app, machine, pings);
  }

  /**
   * The points of one period folded into one at {@code t}, part by part: see each part's {@code
   * fold}.
   */
  static Point fold(long t, List<Point> points) {
    return new Point(
        t,
        Traffic.fold(points.stream().map(Point::traffic).toList()),
        AppUsage.fold(points.stream().map(Point::app).toList()),
        Machine.fold(points.stream().map(Point::machine).toList()),
        PingTally.sum(points.stream().map(Point::pings).toList()));
  }

  /**
   * The requests of a location in the period.
   *
   * @param requests requests answered in the period
   * @param errors the 5xx among them
   * @param p50 median duration, milliseconds
   */
  public record Traffic(long requests, long errors, double p50, double p95, double p99) {
    static final Traffic NONE = new Traffic(0, 0, -1, -1, -1);

    static Traffic of(long requests, long errors, long[] latency) {
      return new Traffic(
          requests,
          errors,
          LatencyBuckets.quantileMillis(latency, 0.50),
          LatencyBuckets.quantileMillis(latency, 0.95),
          LatencyBuckets.quantileMillis(latency, 0.99));
    }

    /**
     * Counts add up; durations are the request-weighted means of the quantiles (an approximation
     * the docs state).
     */
    static Traffic fold(List<Traffic> parts) {
      long requests = 0;
      long errors = 0;
      double p50 = 0;
      double p95 = 0;
      double p99 = 0;
      for (Traffic p : parts) {
        requests += p.requests;
        errors += p.errors;
        p50 += p.p50 * p.requests;
        p95 += p.p95 * p.requests;
        p99 += p.p99 * p.requests;
      }
      boolean any = requests > 0;
      return new Traffic(
          requests,
          errors,
          any ? p50 / requests : 0,
          any ? p95 / requests : 0,
          any ? p99 / requests : 0);
    }
  }

  /**
   * What the location's app used in the period.
   *
   * @param cpu CPU seconds the app's processes used in the period
   * @param rss the app's resident memory at the end of the period, bytes
   */
  public record AppUsage(double cpu, long rss) {
    static final AppUsage NONE = new AppUsage(-1, -1);

    /** CPU adds up; memory is the highest seen. */
    static AppUsage fold(List<AppUsage> parts) {
      double cpu = -1;
      long rss = -1;
      for (AppUsage p : parts) {
        if (p.cpu >= 0) {
          cpu = Math.max(cpu, 0) + p.cpu;
        }
        rss = Math.max(rss, p.rss);
      }
      return new AppUsage(cpu, rss);
    }
  }

  /**
   * The machine's figures in the period.
   *
   * @param cpuBusy the machine's busy CPU share in the period, 0 to 1
   * @param memPressure the share of time some task waited for memory, 0 to 1
   */
  public record Machine(
      double load1,
      long memAvailable,
      long memTotal,
      long swapUsed,
      long diskFree,
      long diskTotal,
      double cpuBusy,
      double memPressure) {
    static final Machine NONE = new Machine(-1, -1, -1, -1, -1, -1, -1, -1);

    /** Figures are the means of those measured; swap and pressure the highest seen. */
    static Machine fold(List<Machine> parts) {
      Mean load = new Mean();
      Mean avail = new Mean();
      Mean total = new Mean();
      Mean diskFree = new Mean();
      Mean diskTotal = new Mean();
      Mean busy = new Mean();
      long swap = -1;
      double pressure = -1;
      for (Machine p : parts) {
        load.add(p.load1);
        avail.add(p.memAvailable);
        total.add(p.memTotal);
        diskFree.add(p.diskFree);
        diskTotal.add(p.diskTotal);
        busy.add(p.cpuBusy);
        swap = Math.max(swap, p.swapUsed);
        pressure = Math.max(pressure, p.memPressure);
      }
      return new Machine(
          load.value(),
          (long) avail.value(),
          (long) total.value(),
          swap,
          (long) diskFree.value(),
          (long) diskTotal.value(),
          busy.value(),
          pressure);
    }
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

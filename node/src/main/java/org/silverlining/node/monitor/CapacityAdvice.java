package org.silverlining.node.monitor;

import java.util.List;
import java.util.Locale;

/**
 * "Do I need a bigger node?" answered from the machine's points of the last {@link #WINDOW_DAYS}
 * days, in this order:
 *
 * <ol>
 *   <li><b>bigger</b> when CPU was busy above {@link #BUSY} for more than {@link #BUSY_SHARE} of
 *       the measured time, or swap above {@link #SWAP_BYTES} was in use in more than that share, or
 *       memory pressure (some task waiting for memory, {@code /proc/pressure/memory} avg60)
 *       exceeded {@link #PRESSURE} at any point, or available memory fell below {@link #LOW_MEMORY}
 *       of the total for more than that share;
 *   <li><b>smaller</b> when at least {@link #MIN_HOURS_FOR_SMALLER} hours were measured, CPU stayed
 *       below {@link #IDLE} in 95 % of them, at least half the memory was always available and no
 *       swap was used;
 *   <li><b>right-sized</b> otherwise.
 * </ol>
 *
 * @param verdict {@code bigger}, {@code smaller} or {@code right-sized}
 * @param line one sentence with the figures that decided it
 */
public record CapacityAdvice(String verdict, String line) {
  static final int WINDOW_DAYS = 7;
  static final double BUSY = 0.80;
  static final double BUSY_SHARE = 0.10;
  static final long SWAP_BYTES = 64L << 20;
  static final double PRESSURE = 0.10;
  static final double LOW_MEMORY = 0.10;
  static final double IDLE = 0.20;
  static final int MIN_HOURS_FOR_SMALLER = 24;

  /** The advice from {@code points} (the machine's, oldest first), each covering {@code res} s. */
  public static CapacityAdvice of(List<Point.Machine> points, int res) {
    List<Point.Machine> cpu = points.stream().filter(p -> p.cpuBusy() >= 0).toList();
    List<Point.Machine> mem = points.stream().filter(p -> p.memTotal() > 0).toList();
    double hours = points.size() * (double) res / 3600;
    String measured = measured(points.size(), res);
    double busyShare = share(cpu, p -> p.cpuBusy() > BUSY);
    double swapShare = share(mem, p -> p.swapUsed() > SWAP_BYTES);
    double lowShare = share(mem, p -> p.memAvailable() < LOW_MEMORY * p.memTotal());
    double pressure = points.stream().mapToDouble(Point.Machine::memPressure).max().orElse(-1);
    long maxSwap = mem.stream().mapToLong(Point.Machine::swapUsed).max().orElse(0);
    if (busyShare > BUSY_SHARE) {
      return new CapacityAdvice(
          "bigger",
          String.format(
              Locale.ROOT,
              "bigger: CPU was busy above %.0f %% for %.0f %% of %s (more than %.0f %%)",
              BUSY * 100,
              busyShare * 100,
              measured,
              BUSY_SHARE * 100));
    }
    if (pressure > PRESSURE) {
      return new CapacityAdvice(
          "bigger",
          String.format(
              Locale.ROOT,
              "bigger: tasks waited for memory %.0f %% of a minute at worst in %s",
              pressure * 100,
              measured));
    }
    if (swapShare > BUSY_SHARE) {
      return new CapacityAdvice(
          "bigger",
          String.format(
              Locale.ROOT,
              "bigger: swap was in use (up to %s) for %.0f %% of %s",
              bytes(maxSwap),
              swapShare * 100,
              measured));
    }
    if (lowShare > BUSY_SHARE) {
      return new CapacityAdvice(
          "bigger",
          String.format(
              Locale.ROOT,
              "bigger: less than %.0f %% of memory was available for %.0f %% of %s",
              LOW_MEMORY * 100,
              lowShare * 100,
              measured));
    }
    double p95Busy =
        percentile(cpu.stream().mapToDouble(Point.Machine::cpuBusy).sorted().toArray(), 0.95);
    double minAvailable =
        mem.stream().mapToDouble(p -> (double) p.memAvailable() / p.memTotal()).min().orElse(0);
    if (hours >= MIN_HOURS_FOR_SMALLER
        && !cpu.isEmpty()
        && p95Busy < IDLE
        && minAvailable >= 0.5
        && maxSwap == 0) {
      return new CapacityAdvice(
          "smaller",
          String.format(
              Locale.ROOT,
              "smaller: CPU stayed below %.0f %% busy 95 %% of %s and at least %.0f %% of"
                  + " memory was always free",
              Math.max(1, Math.ceil(p95Busy * 100)),
              measured,
              minAvailable * 100));
    }
    return new CapacityAdvice(
        "right-sized",
        String.format(
            Locale.ROOT,
            "right-sized: CPU busy above %.0f %% for %.0f %% of %s, %s swap at most,"
                + " memory pressure %.0f %% at worst",
            BUSY * 100,
            busyShare * 100,
            measured,
            bytes(maxSwap),
            Math.max(0, pressure) * 100));
  }

  private static String measured(int n, int res) {
    long minutes = (long) n * res / 60;
    if (minutes < 120) {
      return "the " + minutes + " minutes measured";
    }
    if (minutes < 48 * 60) {
      return "the " + (minutes / 60) + " hours measured";
    }
    return "the " + (minutes / (24 * 60)) + " days measured";
  }

  private static double share(
      List<Point.Machine> points, java.util.function.Predicate<Point.Machine> test) {
    return points.isEmpty() ? 0 : (double) points.stream().filter(test).count() / points.size();
  }

  private static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  static String bytes(long b) {
    if (b < 1L << 20) {
      return (b >> 10) + " KiB";
    }
    if (b < 1L << 30) {
      return (b >> 20) + " MiB";
    }
    return String.format(Locale.ROOT, "%.1f GiB", b / (double) (1L << 30));
  }
}

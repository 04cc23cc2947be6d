package org.silverlining.node.monitor;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.silverlining.node.front.LiveInstance;
import org.silverlining.node.process.AppProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once a minute, turns what the front counted and what {@code /proc} says into the history's
 * points: one per location that answered requests, was pinged or whose app runs, and one for the
 * machine. Counters are drained, so each request and ping check lands in exactly one minute.
 */
public final class HistorySampler {
  private static final Logger log = LoggerFactory.getLogger(HistorySampler.class);

  private final History history;
  private final FrontMetrics front;
  private final ProcFiles proc;
  private final NodeMetrics metrics;
  private final Supplier<List<LiveInstance>> running;
  private final Clock clock;
  private final Map<String, Double> lastCpu = new HashMap<>();
  private final Consumer<Point> onMachinePoint;
  private final Supplier<Map<String, PingTally>> pings;
  private ProcFiles.CpuTicks lastTicks;

  public HistorySampler(
      History history,
      NodeMetrics metrics,
      ProcFiles proc,
      Supplier<List<LiveInstance>> running,
      Clock clock,
      Consumer<Point> onMachinePoint,
      Supplier<Map<String, PingTally>> pings) {
    this.history = history;
    this.front = metrics.front();
    this.metrics = metrics;
    this.proc = proc;
    this.running = running;
    this.clock = clock;
    this.onMachinePoint = onMachinePoint;
    this.pings = pings;
    this.lastTicks = proc.cpu().orElse(null);
  }

  /**
   * The start of the minute that has just ended, epoch seconds. The sampler runs at whole minutes,
   * a little early or late as its timer drifts: the nearest whole minute is the one just begun.
   */
  long lastMinute() {
    long nearest = Math.round(clock.millis() / 60_000.0) * History.MINUTE;
    return nearest - History.MINUTE;
  }

  /** Takes one sample and stores it; failures are logged, the next minute tries again. */
  public synchronized void sample() {
    try {
      long minute = lastMinute();
      Map<String, Point> points = new LinkedHashMap<>();
      Map<String, double[]> apps = appFigures();
      for (LocationTraffic t : front.traffic()) {
        Point p = t.drain(minute);
        double[] f = apps.get(t.app());
        if (f != null) {
          p = p.withApp(new Point.AppUsage(f[0], (long) f[1]));
        }
        if (p.traffic().requests() > 0 || f != null) {
          points.put(t.location(), p);
        }
      }
      for (Map.Entry<String, PingTally> e : pings.get().entrySet()) {
        Point p = points.get(e.getKey());
        if (p == null) {
          p = Point.ofTraffic(minute, 0, 0, new long[LatencyBuckets.COUNT]);
        }
        points.put(e.getKey(), p.withPings(e.getValue()));
      }
      Point machine = machine(minute);
      points.put(History.NODE, machine);
      history.addMinute(points, clock.millis() / 1000);
      onMachinePoint.accept(machine);
    } catch (Exception e) {
      log.warn("cannot store the monitoring history: {}", e.toString());
    }
  }

  /** Per app: CPU seconds used since the last sample, and resident bytes now. */
  private Map<String, double[]> appFigures() {
    Map<String, double[]> now = new HashMap<>();
    for (LiveInstance live : running.get()) {
      if (live.processes() == null) {
        continue;
      }
      for (AppProcess p : live.processes().processes()) {
        long pid = p.pid();
        if (pid <= 0) {
          continue;
        }
        double[] f = now.computeIfAbsent(live.app(), a -> new double[2]);
        f[0] += proc.cpuSeconds(pid).orElse(0);
        f[1] += proc.residentBytes(pid).orElse(0);
      }
    }
    Map<String, double[]> out = new HashMap<>();
    for (Map.Entry<String, double[]> e : now.entrySet()) {
      double total = e.getValue()[0];
      Double before = lastCpu.put(e.getKey(), total);
      // A restarted process starts from zero: its whole time is then this minute's.
      double used = before == null ? 0 : total >= before ? total - before : total;
      out.put(e.getKey(), new double[] {used, e.getValue()[1]});
    }
    lastCpu.keySet().retainAll(now.keySet());
    return out;
  }

  private Point machine(long minute) {
    ProcFiles.CpuTicks ticks = proc.cpu().orElse(null);
    double busy = ticks != null && lastTicks != null ? ticks.busySince(lastTicks) : -1;
    lastTicks = ticks;
    return Point.ofMachine(minute, machineFigures(busy));
  }

  /** The machine's figures now, as a point of the current minute (busy CPU unknown). */
  Point machineNow() {
    return Point.ofMachine(
        Math.floorDiv(clock.millis() / 1000, History.MINUTE) * History.MINUTE, machineFigures(-1));
  }

  /** The machine's figures read now, with the busy CPU share measured over the last minute. */
  private Point.Machine machineFigures(double busy) {
    ProcFiles.Memory m = proc.memory().orElse(new ProcFiles.Memory(-1, -1, -1, -1));
    return new Point.Machine(
        proc.load1().orElse(-1),
        m.available(),
        m.total(),
        m.total() < 0 ? -1 : m.swapUsed(),
        metrics.diskFree(),
        metrics.diskTotal(),
        busy,
        proc.memoryPressure().orElse(-1));
  }
}

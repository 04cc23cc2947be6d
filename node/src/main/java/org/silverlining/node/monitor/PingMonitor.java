package org.silverlining.node.monitor;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.silverlining.core.AppConfig;
import org.silverlining.node.process.InstanceProcesses;

/**
 * Fetches each live location's {@code ping} path every {@code ping_interval} through its live
 * instance, and sends an alert when a location's state changes ({@link StateTracker}: two results
 * in a row must agree). A check still running when the next is due is not doubled.
 */
public final class PingMonitor {
  static final Duration MAX_TIMEOUT = Duration.ofSeconds(10);

  private final Supplier<List<LiveLocation>> locations;
  private final ExecutorService checks;
  private final Consumer<Alert> alerts;
  private final String node;
  private final Clock clock;
  private final AppFetch fetch = new AppFetch();
  private final Map<String, Watch> watches = new ConcurrentHashMap<>();

  /** One watched location: when its next check is due, whether one runs, its state. */
  private static final class Watch {
    final StateTracker tracker = new StateTracker("up");
    volatile String app;
    volatile long dueMillis;
    volatile boolean running;
    // For the history: checks finished since the sampler last drained them.
    final java.util.concurrent.atomic.AtomicLong pings =
        new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong pingsOk =
        new java.util.concurrent.atomic.AtomicLong();

    /** Takes the counts; ok is read first so that it never exceeds the count taken. */
    PingTally drain() {
      long ok = pingsOk.getAndSet(0);
      long n = pings.getAndSet(0);
      return new PingTally(Math.max(n, ok), ok);
    }
  }

  public PingMonitor(
      Supplier<List<LiveLocation>> locations,
      ExecutorService checks,
      Consumer<Alert> alerts,
      String node,
      Clock clock,
      PrometheusRegistry registry) {
    this.locations = locations;
    this.checks = checks;
    this.alerts = alerts;
    this.node = node;
    this.clock = clock;
    GaugeWithCallback.builder()
        .name("silver_ping_up")
        .help("1 when the location's ping answers, 0 when it is down")
        .labelNames("app", "location")
        .callback(
            cb ->
                watches.forEach(
                    (location, w) -> {
                      String s = w.tracker.state();
                      if (s != null) {
                        cb.call(s.equals("up") ? 1 : 0, w.app, location);
                      }
                    }))
        .register(registry);
  }

  /** Starts the checks that are due; called every second. */
  public void tick() {
    long now = clock.millis();
    Set<String> seen = new java.util.HashSet<>();
    for (LiveLocation l : locations.get()) {
      InstanceProcesses processes = l.live().processes();
      if (processes == null || processes.config().ping().isEmpty()) {
        continue;
      }
      seen.add(l.location());
      Watch w = watches.computeIfAbsent(l.location(), k -> new Watch());
      w.app = l.app();
      if (w.running || now < w.dueMillis) {
        continue;
      }
      AppConfig config = processes.config();
      w.dueMillis = now + config.pingInterval().toMillis();
      w.running = true;
      checks.execute(() -> check(l, processes, config, w));
    }
    watches.keySet().retainAll(seen);
  }

  /**
   * The ping checks of each watched location finished since the last call, by location; locations
   * without a finished check are left out. Counters start over.
   */
  Map<String, PingTally> drain() {
    Map<String, PingTally> out = new java.util.LinkedHashMap<>();
    watches.forEach(
        (location, w) -> {
          PingTally t = w.drain();
          if (t.pings() > 0) {
            out.put(location, t);
          }
        });
    return out;
  }

  /** The checks of {@code location} finished since the last drain, without taking them. */
  PingTally peek(String location) {
    Watch w = watches.get(location);
    return w == null ? new PingTally(0, 0) : new PingTally(w.pings.get(), w.pingsOk.get());
  }

  private void check(LiveLocation l, InstanceProcesses processes, AppConfig config, Watch w) {
    try {
      Duration timeout =
          config.pingInterval().compareTo(MAX_TIMEOUT) < 0 ? config.pingInterval() : MAX_TIMEOUT;
      AppFetch.Result r = fetch.get(processes.pickPort(), config.ping(), timeout);
      if (r.ok()) {
        w.pingsOk.incrementAndGet();
      }
      w.pings.incrementAndGet();
      String changed = w.tracker.record(r.ok() ? "up" : "down");
      if (changed != null) {
        alerts.accept(
            new Alert(
                node,
                l.app(),
                l.location(),
                "ping",
                changed,
                clock.instant(),
                config.ping() + " " + r.detail()));
      }
    } finally {
      w.running = false;
    }
  }
}

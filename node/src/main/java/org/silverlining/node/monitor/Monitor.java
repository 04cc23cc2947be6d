package org.silverlining.node.monitor;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.silverlining.node.front.LiveInstance;
import org.silverlining.node.logs.StreamLogs;
import org.silverlining.node.process.DaemonThreads;
import org.silverlining.node.process.HealthWatch;
import org.silverlining.node.process.ProcessState;
import org.silverlining.node.process.Supervisor;

/**
 * The node's monitoring, wired in one place: the metrics registry, the history with its
 * once-a-minute sampler, and the views the management API shows. One scheduler thread runs the
 * periodic work; none of it runs on a request's thread.
 */
public final class Monitor implements AutoCloseable {
  private final NodeMetrics metrics;
  private final History history;
  private final HistorySampler sampler;
  private final StatsView stats;
  private final Clock clock;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("monitor"));
  private final ExecutorService checks =
      Executors.newFixedThreadPool(CHECK_THREADS, DaemonThreads.named("monitor-check"));
  private final AlertSender alerts;
  private final PingMonitor pings;
  private final HealthWatch health;
  private final ErrorGroups errors;
  private final Supplier<List<LiveLocation>> locations;
  private final LogLevels logLevels;
  private final Supplier<List<String>> apps;
  private final io.prometheus.metrics.core.metrics.Counter cronRuns;
  private final io.prometheus.metrics.core.metrics.Counter tasks;
  private final Supplier<List<LiveInstance>> running;
  private final String node;
  private final StateTracker disk = new StateTracker("ok");
  private final Map<String, StateTracker> crashLoops = new ConcurrentHashMap<>();
  private final Map<String, StateTracker> expiring = new ConcurrentHashMap<>();
  private final Supplier<List<ServedCertificate>> certificates;
  private final MemoryTrim memory = new MemoryTrim();

  /** A served certificate with less than this left is about to expire. */
  static final java.time.Duration CERTIFICATE_EXPIRING = java.time.Duration.ofDays(14);

  /** Checks (pings, health) run at once at most this many at a time. */
  static final int CHECK_THREADS = 4;

  /** Below this share of free space the disk is nearly full. */
  static final double DISK_NEARLY_FULL = 0.05;

  /** What the monitor watches and where it reports. */
  public record Sources(
      String node,
      Path historyFile,
      Path disk,
      Supplier<List<LiveInstance>> running,
      Supplier<List<LiveLocation>> locations,
      AlertSender.Settings alertSettings,
      MonitorSettings settings,
      Supervisor supervisor,
      Supplier<List<String>> apps,
      java.util.function.Function<String, Path> logLevelFile,
      StreamLogs streamLogs,
      Supplier<List<ServedCertificate>> certificates) {}

  public Monitor(Sources s, Clock clock) throws SQLException {
    this.clock = clock;
    this.running = s.running();
    this.node = s.node();
    ProcFiles proc = ProcFiles.system();
    this.certificates = s.certificates();
    metrics = new NodeMetrics(proc, s.disk(), running, certificates, clock);
    history = new History(s.historyFile());
    alerts = new AlertSender(s.alertSettings(), s.settings().smtp().map(Mailer::new));
    pings = new PingMonitor(s.locations(), checks, alerts::send, node, clock, metrics.registry());
    sampler =
        new HistorySampler(history, metrics, proc, running, clock, this::checkDisk, pings::drain);
    stats = new StatsView(history, metrics.front(), sampler, pings, clock);
    health = new HealthWatch(s.supervisor());
    locations = s.locations();
    cronRuns =
        io.prometheus.metrics.core.metrics.Counter.builder()
            .name("silver_cron_runs_total")
            .help("Finished runs of cron jobs, by app, job and status (ok, failed...)")
            .labelNames("app", "job", "status")
            .register(metrics.registry());
    tasks =
        io.prometheus.metrics.core.metrics.Counter.builder()
            .name("silver_tasks_total")
            .help("Finished task delivery attempts, by app, queue and outcome (done, retry, dead)")
            .labelNames("app", "queue", "outcome")
            .register(metrics.registry());
    apps = s.apps();
    logLevels = new LogLevels(s.logLevelFile(), clock);
    errors =
        new ErrorGroups(
            history,
            clock,
            (app, instance, r) ->
                alerts.mail(
                    app,
                    "error_email",
                    "[silver " + node + "] new error in " + instance + ": " + r.type(),
                    r.message() + "\n\n" + r.sample() + "\n"),
            (app, instance, r) ->
                s.streamLogs().write(app, StreamLogs.ERRORS, errorLine(instance, r)));
    s.supervisor().setOutputListener(errors::line);
    metrics.front().onServerError(errors::serverError);
  }

  /**
   * The line of a new error group in the app's {@code errors.log}: instance, kind, type, message.
   */
  static String errorLine(String instance, ErrorReport r) {
    return instance + " new " + r.kind() + " " + r.type() + ": " + r.message();
  }

  /**
   * Counts a finished cron run ({@code silver_cron_runs_total}); a failed one is also an error
   * report of its instance.
   */
  public void cronRun(String app, String instance, String job, String status, String output) {
    cronRuns.labelValues(app, job, status).inc();
    if (!"ok".equals(status) && !"skipped".equals(status)) {
      errors.report(
          app, instance, new ErrorReport("cron", "cron job " + status, job, List.of(job), output));
    }
  }

  /**
   * Counts a finished task delivery attempt ({@code silver_tasks_total}); a task that ends dead is
   * also an error report of its instance, one group per queue.
   */
  public void taskAttempt(
      String app, String instance, String queue, String outcome, String detail) {
    tasks.labelValues(app == null ? "" : app, queue, outcome).inc();
    if ("dead".equals(outcome) && app != null && instance != null) {
      errors.report(
          app, instance, new ErrorReport("task", "task dead", queue, List.of(queue), detail));
    }
  }

  /**
   * The error groups of the instance live at {@code location} (a location as the state store writes
   * it), or of none when nothing runs there.
   */
  public Map<String, Object> errors(String app, String location) {
    String instance = null;
    for (LiveLocation l : locations.get()) {
      if (l.location().equals(location)) {
        instance = l.live().name();
      }
    }
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("location", location);
    m.put("app", app);
    m.put("instance", instance);
    m.put("groups", instance == null ? List.of() : errors.of(instance));
    return m;
  }

  /** The error groups, for tests. */
  ErrorGroups errorGroups() {
    return errors;
  }

  /** Starts the sampler at the next whole minute, the pings, and the health checks. */
  public void start() {
    long millis = clock.millis();
    long toNextMinute = 60_000 - millis % 60_000;
    timer.scheduleAtFixedRate(sampler::sample, toNextMinute, 60_000, TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(this::everySecond, 1, 1, TimeUnit.SECONDS);
    timer.scheduleWithFixedDelay(errors::save, 10, 10, TimeUnit.SECONDS);
    timer.scheduleWithFixedDelay(memory::run, 10, 10, TimeUnit.SECONDS);
    long every = HealthWatch.INTERVAL.toMillis();
    timer.scheduleWithFixedDelay(
        () -> checks.execute(this::checkHealth), every, every, TimeUnit.MILLISECONDS);
  }

  private void everySecond() {
    try {
      pings.tick();
      checkCrashLoops();
      checkCertificates();
      logLevels.revertExpired(apps.get());
      errors.flushIdle(
          running.get().stream()
              .map(LiveInstance::name)
              .collect(java.util.stream.Collectors.toSet()));
    } catch (RuntimeException e) {
      // the next second tries again; a failure here must not end the schedule
    }
  }

  private void checkHealth() {
    try {
      health.checkAll(
          running.get().stream()
              .map(LiveInstance::processes)
              .filter(java.util.Objects::nonNull)
              .toList());
    } catch (RuntimeException e) {
      // the next round tries again
    }
  }

  /** One alert when an instance's processes fall into a crash loop, one when it is over. */
  private void checkCrashLoops() {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (LiveInstance live : running.get()) {
      if (live.processes() == null) {
        continue;
      }
      seen.add(live.name());
      boolean looping =
          live.processes().processes().stream().anyMatch(p -> p.state() == ProcessState.CRASH_LOOP);
      StateTracker t = crashLoops.computeIfAbsent(live.name(), n -> new StateTracker("up"));
      // Two calls: a crash loop is a settled state, not a flapping result.
      t.record(looping ? "down" : "up");
      String changed = t.record(looping ? "down" : "up");
      if (changed != null) {
        alerts.send(
            new Alert(
                node,
                live.app(),
                null,
                "crash_loop",
                changed,
                clock.instant(),
                looping
                    ? live.name() + " crashed again and again; it is left stopped"
                    : live.name() + " runs again"));
      }
    }
    crashLoops.keySet().retainAll(seen);
  }

  /**
   * One alert when a served certificate has less than {@link #CERTIFICATE_EXPIRING} left, one when
   * it has been renewed.
   */
  private void checkCertificates() {
    java.util.Set<String> seen = new java.util.HashSet<>();
    java.time.Instant now = clock.instant();
    for (ServedCertificate c : certificates.get()) {
      seen.add(c.host());
      java.time.Duration left = java.time.Duration.between(now, c.notAfter());
      String result = left.compareTo(CERTIFICATE_EXPIRING) < 0 ? "expiring" : "ok";
      StateTracker t = expiring.computeIfAbsent(c.host(), h -> new StateTracker("ok"));
      // Two calls: an expiry date is a settled fact, not a flapping result.
      t.record(result);
      String changed = t.record(result);
      if (changed != null) {
        alerts.send(
            new Alert(
                node,
                null,
                c.host(),
                "certificate",
                changed,
                now,
                "the certificate for "
                    + c.host()
                    + " ("
                    + c.source()
                    + ") expires at "
                    + c.notAfter()
                    + ", in "
                    + left.toDays()
                    + " day(s)"));
      }
    }
    expiring.keySet().retainAll(seen);
  }

  private void checkDisk(Point point) {
    Point.Machine machine = point.machine();
    if (machine.diskTotal() <= 0 || machine.diskFree() < 0) {
      return;
    }
    double free = (double) machine.diskFree() / machine.diskTotal();
    String changed = disk.record(free < DISK_NEARLY_FULL ? "nearly_full" : "ok");
    if (changed != null) {
      alerts.send(
          new Alert(
              node,
              null,
              null,
              "disk",
              changed,
              clock.instant(),
              String.format(
                  java.util.Locale.ROOT,
                  "%.1f %% of the node's disk is free (%s of %s)",
                  free * 100,
                  CapacityAdvice.bytes(machine.diskFree()),
                  CapacityAdvice.bytes(machine.diskTotal()))));
    }
  }

  /** The log levels of apps and of the node, for a while. */
  public LogLevels logLevels() {
    return logLevels;
  }

  public AlertSender alerts() {
    return alerts;
  }

  public NodeMetrics metrics() {
    return metrics;
  }

  public StatsView stats() {
    return stats;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    checks.shutdownNow();
    alerts.close();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      history.close();
    } catch (SQLException e) {
      // closing at shutdown; the next start opens the file again
    }
  }
}

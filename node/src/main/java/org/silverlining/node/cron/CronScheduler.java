package org.silverlining.node.cron;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.silverlining.core.CommandLine;
import org.silverlining.core.CronTable;
import org.silverlining.core.schedule.CronJob;
import org.silverlining.node.apphttp.AppHttpClient;
import org.silverlining.node.apphttp.AppRequest;
import org.silverlining.node.apphttp.AppResponse;
import org.silverlining.node.front.LiveInstance;
import org.silverlining.node.instance.InstanceManager;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.logs.LogLimits;
import org.silverlining.node.logs.RotatingFile;
import org.silverlining.node.process.DaemonThreads;
import org.silverlining.node.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@code [cron]} jobs of every live location. Once a second it starts the jobs that are
 * due, each on a worker thread: a URL job is an internal GET to the live instance with {@code
 * X-Silver-Cron: true}; a command job runs in the instance's folder and environment. Runs of one
 * job never overlap: a run that comes due while the last one is still going is recorded as skipped.
 * Every run is recorded in the state store and {@code logs/apps/APP/cron.log}. A run that came due
 * while the node was down runs once when it starts.
 */
public final class CronScheduler implements AutoCloseable {
  static final Duration TICK = Duration.ofSeconds(1);
  static final Duration URL_TIMEOUT = Duration.ofMinutes(10);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration COMMAND_TIMEOUT = Duration.ofHours(1);
  static final int OUTPUT_TAIL = 2000;
  private static final Logger log = LoggerFactory.getLogger(CronScheduler.class);

  private final StateStore state;
  private final NodeLayout layout;
  private final InstanceManager instances;
  private final LogLimits logLimits;
  private final ExecutorService workers =
      Executors.newCachedThreadPool(DaemonThreads.named("cron-run"));
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("cron"));
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();

  /** A run opens a connection of its own: runs are minutes apart. */
  private final AppHttpClient http = new AppHttpClient(CONNECT_TIMEOUT, Duration.ZERO);

  /** A job of a live location, and when it is next due. */
  private static final class Job {
    final String location;
    final String app;
    final String instance;
    final CronJob spec;

    /** Shared with the job it replaced: a run on the old instance still counts as running. */
    final AtomicBoolean running;

    volatile ZonedDateTime nextDue;

    Job(String location, String app, String instance, CronJob spec, AtomicBoolean running) {
      this.location = location;
      this.app = app;
      this.instance = instance;
      this.spec = spec;
      this.running = running;
    }
  }

  /** A scheduler whose {@code cron.log} files rotate under {@code logLimits}. */
  public CronScheduler(
      StateStore state, NodeLayout layout, InstanceManager instances, LogLimits logLimits) {
    this.state = state;
    this.layout = layout;
    this.instances = instances;
    this.logLimits = logLimits;
  }

  private volatile CronLeadership leadership;

  /**
   * Runs the jobs of a nodeset's locations only while this node leads the nodeset ({@link
   * CronLeadership}).
   */
  public void leadBy(CronLeadership leadership) {
    this.leadership = leadership;
  }

  /** The nodesets whose jobs this node runs while it leads them; null when none was given. */
  public CronLeadership leadership() {
    return leadership;
  }

  public void start() {
    if (leadership != null) {
      leadership.start();
    }
    timer.scheduleWithFixedDelay(
        this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the jobs of the instances now live at {@code locations}; keeps the state of unchanged
   * ones.
   */
  public synchronized void refresh(List<StateStore.LocationRecord> locations) {
    Set<String> seen = new HashSet<>();
    for (StateStore.LocationRecord l : locations) {
      if (l.active() == null) {
        continue;
      }
      CronTable table;
      try {
        table = CronTable.load(layout.instanceDir(l.app(), l.active()).resolve("app.ini"));
      } catch (IOException | RuntimeException e) {
        log.warn("cannot read the [cron] jobs of {}: {}", l.active(), e.getMessage());
        continue;
      }
      for (CronJob spec : table.jobs()) {
        String key = key(l.location(), spec.name());
        seen.add(key);
        Job existing = jobs.get(key);
        if (existing != null
            && existing.instance.equals(l.active())
            && existing.spec.schedule().text().equals(spec.schedule().text())) {
          continue;
        }
        Job job =
            new Job(
                l.location(),
                l.app(),
                l.active(),
                spec,
                existing == null ? new AtomicBoolean() : existing.running);
        job.nextDue = firstDue(job, existing);
        jobs.put(key, job);
      }
    }
    jobs.keySet().retainAll(seen);
  }

  private ZonedDateTime firstDue(Job job, Job replaced) {
    ZonedDateTime now = ZonedDateTime.now(job.spec.schedule().zone());
    if (replaced != null) {
      return job.spec.schedule().next(now);
    }
    try {
      List<StateStore.CronRunRecord> last = state.cronRuns(job.location, job.spec.name(), 1);
      if (!last.isEmpty()) {
        ZonedDateTime lastDue =
            Instant.parse(last.get(0).scheduled()).atZone(job.spec.schedule().zone());
        ZonedDateTime due = job.spec.schedule().next(lastDue);
        return due.isBefore(now) ? now : due; // missed while the node was down: once, now
      }
    } catch (Exception e) {
      log.warn("cannot read the last run of {}: {}", job.spec.name(), e.toString());
    }
    return job.spec.schedule().next(now);
  }

  private void tick() {
    for (Job job : jobs.values()) {
      ZonedDateTime now = ZonedDateTime.now(job.spec.schedule().zone());
      ZonedDateTime due = job.nextDue;
      if (due != null && !now.isBefore(due)) {
        job.nextDue = job.spec.schedule().next(now);
        CronLeadership.Turn turn =
            leadership == null ? new CronLeadership.Local() : leadership.turn(job.location);
        if (turn instanceof CronLeadership.Follower) {
          continue; // the nodeset's leader runs it
        }
        if (job.running.compareAndSet(false, true)) {
          workers.execute(
              () -> {
                try {
                  runAs(job, due, turn);
                } finally {
                  job.running.set(false);
                }
              });
        } else {
          record(job, due, Instant.now(), 0, "skipped", "the previous run was still going");
        }
      }
    }
  }

  /**
   * Runs job {@code name} of {@code location} now, in the calling thread, and returns its record.
   *
   * @throws IOException when there is no such job
   * @throws IllegalStateException when the job is running already
   */
  public StateStore.CronRunRecord runNow(String location, String name) throws IOException {
    Job job = jobs.get(key(location, name));
    if (job == null) {
      throw new IOException(
          "no cron job '"
              + name
              + "' at "
              + location
              + "; silver cron "
              + location
              + " lists them");
    }
    if (!job.running.compareAndSet(false, true)) {
      throw new IllegalStateException("'" + name + "' is running already");
    }
    try {
      return run(job, ZonedDateTime.now(job.spec.schedule().zone()), 0);
    } finally {
      job.running.set(false);
    }
  }

  /** Runs a due job as {@code turn} lets it: a nodeset's leader first has Redis admit the run. */
  private void runAs(Job job, ZonedDateTime due, CronLeadership.Turn turn) {
    if (!(turn instanceof CronLeadership.Leader leader)) {
      run(job, due, 0);
      return;
    }
    String refused = leadership.admit(leader, job.location, job.spec.name(), due.toInstant());
    if (refused == null) {
      run(job, due, leader.token());
    } else if (!refused.equals(CronLeadership.DONE)) {
      log.warn("cron job {} of {}: {}", job.spec.name(), job.location, refused);
      record(job, due, Instant.now(), 0, "refused", refused);
    }
  }

  /** Runs {@code job} with the fencing token {@code token} (0: not a nodeset's job). */
  private StateStore.CronRunRecord run(Job job, ZonedDateTime due, long token) {
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    String status;
    String output;
    try {
      String[] result =
          job.spec.kind() == CronJob.Kind.URL ? fetch(job, token) : command(job, token);
      status = result[0];
      output = result[1];
    } catch (Exception e) {
      status = "failed";
      output = e.getMessage() == null ? e.toString() : e.getMessage();
    }
    return record(job, due, started, (System.nanoTime() - t0) / 1_000_000, status, output);
  }

  private String[] fetch(Job job, long token) throws Exception {
    LiveInstance live = instances.live(job.instance).get(2, TimeUnit.MINUTES);
    if (live.processes() == null) {
      return new String[] {"failed", "a static app has no process to request " + job.spec.target()};
    }
    AppResponse r;
    live.processes().acquire(); // a redeploy drains the instance only after the run
    try {
      r =
          http.send(
              AppRequest.of(live.processes().pickPort(), "GET", job.spec.target(), URL_TIMEOUT)
                  .withHeader("X-Silver-Cron", "true")
                  .withHeader("X-Silver-Internal", "cron")
                  .withHeader("X-Silver-Cron-Token", Long.toString(token))
                  .keepingBody(4 * OUTPUT_TAIL));
    } finally {
      live.processes().release();
    }
    return new String[] {r.ok() ? "ok" : "failed", r.status() + " " + tail(r.bodyText())};
  }

  private String[] command(Job job, long token) throws Exception {
    Map<String, String> env = new java.util.HashMap<>(instances.commandEnvironment(job.instance));
    env.put("SILVER_CRON_TOKEN", Long.toString(token));
    ProcessBuilder pb =
        new ProcessBuilder(CommandLine.split(job.spec.target(), env))
            .directory(layout.instanceDir(job.app, job.instance).toFile())
            .redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    StringBuilder out = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        out.append(line).append('\n');
        if (out.length() > 4 * OUTPUT_TAIL) {
          out.delete(0, out.length() - OUTPUT_TAIL);
        }
      }
    }
    if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      return new String[] {"failed", "timed out after " + COMMAND_TIMEOUT.toMinutes() + " min"};
    }
    return new String[] {
      p.exitValue() == 0 ? "ok" : "failed", "exit " + p.exitValue() + " " + tail(out.toString())
    };
  }

  /** Hears of each finished run of a cron job (for metrics and error reports). */
  public interface RunListener {
    void finished(String app, String instance, String job, String status, String output);
  }

  private volatile RunListener runListener = (app, instance, job, status, output) -> {};

  /** Tells {@code listener} of every run that finishes from now on. */
  public void onRun(RunListener listener) {
    this.runListener = listener;
  }

  private StateStore.CronRunRecord record(
      Job job, ZonedDateTime due, Instant started, long millis, String status, String output) {
    try {
      runListener.finished(job.app, job.instance, job.spec.name(), status, output);
    } catch (RuntimeException e) {
      log.warn("cannot count a run of {}: {}", job.spec.name(), e.toString());
    }
    StateStore.CronRunRecord r =
        new StateStore.CronRunRecord(
            job.location,
            job.spec.name(),
            due.toInstant().truncatedTo(ChronoUnit.SECONDS).toString(),
            started.truncatedTo(ChronoUnit.MILLIS).toString(),
            millis,
            status,
            output);
    try {
      state.addCronRun(r);
    } catch (Exception e) {
      log.warn("cannot record a run of {}: {}", job.spec.name(), e.toString());
    }
    Path file = layout.appLogsDir(job.app).resolve("cron.log");
    String line =
        r.started()
            + " "
            + job.spec.name()
            + " "
            + status
            + " "
            + millis
            + "ms "
            + output.replace('\n', ' ').strip()
            + "\n";
    try {
      synchronized (logLimits) { // runs of two jobs may finish at once
        RotatingFile.appendOnce(file, line, logLimits);
      }
    } catch (IOException e) {
      log.warn("cannot write {}: {}", file, e.toString());
    }
    return r;
  }

  /** The jobs of {@code location} with their next run and last result, for {@code silver cron}. */
  public List<Map<String, Object>> describe(String location) throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Job job : jobs.values()) {
      if (!job.location.equals(location)) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("job", job.spec.name());
      m.put("kind", job.spec.kind().name().toLowerCase(java.util.Locale.ROOT));
      m.put("schedule", job.spec.schedule().text());
      m.put("zone", job.spec.schedule().zone().getId());
      m.put("next", job.nextDue == null ? null : job.nextDue.toOffsetDateTime().toString());
      m.put("running", job.running.get());
      List<StateStore.CronRunRecord> last = state.cronRuns(location, job.spec.name(), 1);
      m.put("last", last.isEmpty() ? null : last.get(0));
      out.add(m);
    }
    out.sort((a, b) -> ((String) a.get("job")).compareTo((String) b.get("job")));
    return out;
  }

  private static String tail(String s) {
    String t = s.strip();
    return t.length() <= OUTPUT_TAIL ? t : "…" + t.substring(t.length() - OUTPUT_TAIL);
  }

  private static String key(String location, String job) {
    return location + "\n" + job;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    workers.shutdownNow();
    if (leadership != null) {
      leadership.close();
    }
    http.close();
  }
}

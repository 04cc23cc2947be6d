package org.silverlining.node.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.silverlining.core.AppConfig;
import org.silverlining.node.apphttp.AppHttpClient;
import org.silverlining.node.apphttp.AppRequest;
import org.silverlining.node.logs.AppLog;
import org.silverlining.node.logs.LogLimits;
import org.silverlining.node.runtime.AppRuntimes;
import org.silverlining.node.runtime.RuntimeTools;
import org.silverlining.node.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, watches and stops application processes. A process that exits while its instance is live
 * is restarted after a delay that doubles with each quick crash ({@link #MIN_BACKOFF} to {@link
 * #MAX_BACKOFF}); after {@link #CRASH_LOOP_LIMIT} quick crashes in a row it is left stopped in
 * {@link ProcessState#CRASH_LOOP}. Every started process is recorded in the state store until it is
 * gone, so that a node restarted after {@code kill -9} can stop what it left behind.
 */
public final class Supervisor implements AutoCloseable {
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration STOP_GRACE = Duration.ofSeconds(10);
  static final Duration MIN_BACKOFF = Duration.ofMillis(500);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /** A process that ran this long before exiting counts as healthy: its backoff starts over. */
  static final Duration STABLE_AFTER = Duration.ofSeconds(30);

  static final int CRASH_LOOP_LIMIT = 5;
  private static final Duration POLL = Duration.ofMillis(25);
  static final Duration HEALTH_CONNECT_TIMEOUT = Duration.ofSeconds(1);
  static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

  private final StateStore state;
  private final Function<String, Path> appLogFile;
  private final LogLimits logLimits;
  private final Map<String, String> nodeEnv;
  private final RuntimeTools tools;
  private final Map<String, AppLog> logs = new ConcurrentHashMap<>();
  private final Set<Integer> portsInUse = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("supervisor"));

  /**
   * Health checks open a connection each: a check is rare, and a kept one would outlive its app.
   */
  private final AppHttpClient http = new AppHttpClient(HEALTH_CONNECT_TIMEOUT, Duration.ZERO);

  public Supervisor(StateStore state, Function<String, Path> appLogFile, RuntimeTools tools) {
    this(state, appLogFile, LogLimits.DEFAULT, tools);
  }

  /** A supervisor whose app logs rotate under {@code limits} ({@code node.ini [logs]}). */
  public Supervisor(
      StateStore state, Function<String, Path> appLogFile, LogLimits limits, RuntimeTools tools) {
    this(state, appLogFile, limits, System.getenv(), tools);
  }

  public Supervisor(
      StateStore state,
      Function<String, Path> appLogFile,
      LogLimits logLimits,
      Map<String, String> nodeEnv,
      RuntimeTools tools) {
    this.state = state;
    this.appLogFile = appLogFile;
    this.logLimits = logLimits;
    this.nodeEnv = nodeEnv;
    this.tools = tools;
  }

  /** The programs and support files the runtimes use. */
  public RuntimeTools tools() {
    return tools;
  }

  /** The log of {@code app}, opened on first use. */
  public AppLog log(String app) {
    return logs.computeIfAbsent(
        app,
        a -> {
          try {
            return new AppLog(appLogFile.apply(a), logLimits);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** Starts the processes of an instance on free private ports; {@link #awaitReady} waits. */
  public InstanceProcesses start(
      String instance, Path dir, AppConfig config, AppEnvironment.Facts facts) throws IOException {
    InstanceProcesses group = new InstanceProcesses(instance, dir, config, facts);
    for (int i = 0; i < config.processCount(); i++) {
      group.add(new AppProcess(group, i, freePort()));
    }
    try {
      for (AppProcess p : group.processes()) {
        launch(p);
      }
    } catch (IOException | RuntimeException e) {
      stop(group);
      throw e;
    }
    return group;
  }

  private int freePort() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", 0));
        int port = s.getLocalPort();
        if (portsInUse.add(port)) {
          return port;
        }
      }
    }
    throw new IOException("no free port found on 127.0.0.1");
  }

  private void launch(AppProcess p) throws IOException {
    InstanceProcesses g = p.owner();
    Map<String, String> env = AppEnvironment.forProcess(g.facts(), p.port(), nodeEnv);
    List<String> command = ProcessCommand.of(g.config(), env, tools);
    for (Map.Entry<Path, String> f :
        AppRuntimes.of(g.config().runtime()).files(g.config(), env, tools).entrySet()) {
      java.nio.file.Files.createDirectories(f.getKey().getParent());
      java.nio.file.Files.writeString(f.getKey(), f.getValue());
    }
    ProcessBuilder pb = new ProcessBuilder(command).directory(g.dir().toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    AppLog appLog = log(g.app());
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      String line = "could not start " + String.join(" ", command) + ": " + e.getMessage();
      appLog.write(p.tag(), line);
      g.remember(line);
      p.state = ProcessState.FAILED;
      throw new IOException(line, e);
    }
    p.process = process;
    p.startedAtNanos = System.nanoTime();
    p.state = ProcessState.STARTING;
    try {
      state.addProcess(
          process.pid(),
          g.instance(),
          process.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L));
    } catch (SQLException e) {
      log.warn("could not record process {} of {}: {}", process.pid(), g.instance(), e.toString());
    }
    Thread pump = new Thread(() -> pump(p, process, appLog), "output " + p.tag());
    pump.setDaemon(true);
    p.pump = pump;
    pump.start();
    process.onExit().thenAccept(exited -> onExit(p, exited));
  }

  /** What else reads every line app processes print (the error reports). */
  public interface OutputListener {
    void line(AppProcess process, String line);
  }

  private volatile OutputListener outputListener = (p, line) -> {};

  /** Gives every line the app processes print to {@code listener} too, on the output thread. */
  public void setOutputListener(OutputListener listener) {
    this.outputListener = listener;
  }

  private void pump(AppProcess p, Process process, AppLog appLog) {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        appLog.write(p.tag(), line);
        p.owner().remember(line);
        outputListener.line(p, line);
      }
    } catch (IOException e) {
      // the process is gone; its exit is handled in onExit
    }
  }

  private void onExit(AppProcess p, Process exited) {
    forget(exited.pid());
    InstanceProcesses g = p.owner();
    if (g.isStopping() || p.state == ProcessState.STOPPED) {
      return;
    }
    String line = "process exited with code " + exited.exitValue();
    log(g.app()).write(p.tag(), line);
    g.remember(line);
    if ((p.state == ProcessState.STARTING || p.state == ProcessState.FAILED) && p.restarts == 0) {
      p.state = ProcessState.FAILED; // awaitReady reports it; a deploy is not retried
      return;
    }
    // A restart that dies before it is ready is one more crash in a row, not a failed deploy.
    long ranNanos = System.nanoTime() - p.startedAtNanos;
    p.consecutiveCrashes = ranNanos > STABLE_AFTER.toNanos() ? 1 : p.consecutiveCrashes + 1;
    if (p.consecutiveCrashes >= CRASH_LOOP_LIMIT) {
      p.state = ProcessState.CRASH_LOOP;
      log.warn("{} crashed {} times in a row; not restarting it", p.tag(), p.consecutiveCrashes);
      log(g.app()).write(p.tag(), "crash loop: not restarted; deploy or activate again to retry");
      return;
    }
    long delay =
        Math.min(MAX_BACKOFF.toMillis(), MIN_BACKOFF.toMillis() << (p.consecutiveCrashes - 1));
    p.state = ProcessState.BACKOFF;
    log.info("{} exited; restarting in {} ms", p.tag(), delay);
    // The timer only waits; the restart (which may wait minutes for readiness) runs on its own.
    timer.schedule(
        () -> ForkJoinPool.commonPool().execute(() -> restart(p)), delay, TimeUnit.MILLISECONDS);
  }

  private void restart(AppProcess p) {
    if (p.owner().isStopping()) {
      return;
    }
    try {
      p.restarts++;
      launch(p);
      waitUntilReady(p, READY_TIMEOUT);
      p.state = ProcessState.RUNNING;
    } catch (IOException | StartFailedException e) {
      log.warn("restart of {} failed: {}", p.tag(), e.getMessage());
    }
  }

  /**
   * Waits until every process of {@code group} answers its {@code health} path with a 2xx or 3xx
   * (or, without one, accepts a TCP connection). Fails at once when a process exits.
   */
  public void awaitReady(InstanceProcesses group, Duration timeout) throws StartFailedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (AppProcess p : group.processes()) {
      waitUntilReady(p, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      p.state = ProcessState.RUNNING;
    }
  }

  private void waitUntilReady(AppProcess p, Duration timeout) throws StartFailedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    AppConfig config = p.owner().config();
    String health = AppRuntimes.of(config.runtime()).speaksHttp() ? config.health() : "";
    while (true) {
      Process process = p.process;
      if (process == null || !process.isAlive()) {
        if (p.restarts == 0) {
          p.state = ProcessState.FAILED; // now, not when onExit gets to it
        }
        awaitOutput(p);
        throw new StartFailedException(p.tag() + " exited before it was ready", p.owner().tail(20));
      }
      if (health.isEmpty() ? acceptsConnection(p.port()) : answersHealth(p.port(), health)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new StartFailedException(
            p.tag()
                + " was not ready within "
                + timeout.toSeconds()
                + " s (port "
                + p.port()
                + (health.isEmpty() ? "" : ", " + health)
                + ")",
            p.owner().tail(20));
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StartFailedException("interrupted while waiting for " + p.tag(), List.of());
      }
    }
  }

  // The last lines a dead process printed may still be on their way to the tail.
  private static void awaitOutput(AppProcess p) {
    Thread pump = p.pump;
    if (pump != null) {
      try {
        pump.join(OUTPUT_DRAIN.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static boolean acceptsConnection(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Whether the process on {@code port} answers {@code GET path} ({@code X-Silver-Internal:
   * health}) with a 2xx or 3xx within {@link #HEALTH_TIMEOUT}.
   */
  public boolean answersHealth(int port, String path) {
    try {
      int status =
          http.send(
                  AppRequest.of(port, "GET", path, HEALTH_TIMEOUT)
                      .withHeader("X-Silver-Internal", "health"))
              .status();
      return status >= 200 && status < 400;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops every process of {@code group}: SIGTERM, then SIGKILL after {@link #STOP_GRACE}. */
  public void stop(InstanceProcesses group) {
    group.markStopping();
    for (AppProcess p : group.processes()) {
      p.state = ProcessState.STOPPED;
      Process process = p.process;
      if (process != null) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
      }
    }
    long deadline = System.nanoTime() + STOP_GRACE.toNanos();
    for (AppProcess p : group.processes()) {
      Process process = p.process;
      if (process != null) {
        try {
          if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          process.destroyForcibly();
        }
        forget(process.pid());
      }
      portsInUse.remove(p.port());
    }
  }

  private void forget(long pid) {
    try {
      state.removeProcess(pid);
    } catch (SQLException e) {
      log.warn("could not forget process {}: {}", pid, e.toString());
    }
  }

  /**
   * Stops processes a previous run of the node left behind (after {@code kill -9}): each recorded
   * process still alive with the same start time — so not a recycled pid — is stopped with its
   * descendants. Returns how many were stopped.
   */
  public int stopLeftovers() throws SQLException {
    int stopped = 0;
    Set<ProcessHandle> victims = new HashSet<>();
    for (StateStore.ProcessRecord r : state.processes()) {
      ProcessHandle.of(r.pid())
          .filter(ProcessHandle::isAlive)
          .filter(
              h ->
                  r.startedMillis() == 0
                      || h.info()
                          .startInstant()
                          .map(i -> Math.abs(i.toEpochMilli() - r.startedMillis()) < 1000)
                          .orElse(false))
          .ifPresent(victims::add);
      state.removeProcess(r.pid());
    }
    for (ProcessHandle h : victims) {
      h.descendants().forEach(ProcessHandle::destroy);
      h.destroy();
      stopped++;
    }
    for (ProcessHandle h : victims) {
      try {
        h.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        h.descendants().forEach(ProcessHandle::destroyForcibly);
        h.destroyForcibly();
      }
    }
    return stopped;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    for (AppLog l : logs.values()) {
      try {
        l.close();
      } catch (IOException e) {
        // closing at shutdown; nothing to do
      }
    }
  }
}

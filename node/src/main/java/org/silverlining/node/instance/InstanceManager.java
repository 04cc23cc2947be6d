package org.silverlining.node.instance;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.silverlining.core.AppConfig;
import org.silverlining.core.Location;
import org.silverlining.core.Runtime;
import org.silverlining.node.front.InstanceSource;
import org.silverlining.node.front.LiveInstance;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.process.AppEnvironment;
import org.silverlining.node.process.InstanceProcesses;
import org.silverlining.node.process.StartFailedException;
import org.silverlining.node.process.Supervisor;
import org.silverlining.node.service.AppServices;
import org.silverlining.node.service.ServiceException;
import org.silverlining.node.service.WritableRootService;
import org.silverlining.node.state.StateStore;
import org.silverlining.node.staticfiles.FileRoots;
import org.silverlining.node.staticfiles.StaticFolders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances that are running, and the one way to start and stop them: the deploy pipeline, the
 * front (for a {@code prev.} host) and start-up all come here, so an instance never runs twice.
 */
public final class InstanceManager implements InstanceSource {
  private static final Logger log = LoggerFactory.getLogger(InstanceManager.class);

  private final NodeLayout layout;
  private final StateStore state;
  private final Supervisor supervisor;
  private final AppServices services;
  private final ExecutorService executor;
  private final String version;
  private final boolean devel;
  private final Map<String, CompletableFuture<LiveInstance>> instances = new ConcurrentHashMap<>();

  /** Instances taken out of service and still draining: {@link #stopAll} must not miss them. */
  private final Map<String, LiveInstance> draining = new ConcurrentHashMap<>();

  /** Variables the node adds to an instance's environment (the tasks API), by instance name. */
  private volatile java.util.function.Function<String, Map<String, String>> nodeVariables =
      name -> Map.of();

  public InstanceManager(
      NodeLayout layout,
      StateStore state,
      Supervisor supervisor,
      AppServices services,
      ExecutorService executor,
      String version,
      boolean devel) {
    this.layout = layout;
    this.state = state;
    this.supervisor = supervisor;
    this.services = services;
    this.executor = executor;
    this.version = version;
    this.devel = devel;
  }

  /** Adds {@code variables(instance)} to the environment of each instance started from now on. */
  public void setNodeVariables(java.util.function.Function<String, Map<String, String>> variables) {
    this.nodeVariables = variables;
  }

  /** The live instance {@code name}, started in the background when it is not running. */
  @Override
  public CompletableFuture<LiveInstance> live(String name) {
    CompletableFuture<LiveInstance> f = instances.get(name);
    if (f != null && !f.isCompletedExceptionally()) {
      return f;
    }
    CompletableFuture<LiveInstance> created = new CompletableFuture<>();
    CompletableFuture<LiveInstance> raced = instances.putIfAbsent(name, created);
    if (raced != null && !raced.isCompletedExceptionally()) {
      return raced;
    }
    if (raced != null) {
      instances.put(name, created);
    }
    executor.execute(
        () -> {
          try {
            created.complete(startNow(name));
          } catch (Exception e) {
            instances.remove(name, created);
            created.completeExceptionally(e);
          }
        });
    return created;
  }

  /** Starts {@code name} and waits until it is ready, in the calling thread. */
  public LiveInstance start(String name)
      throws IOException, SQLException, StartFailedException, ServiceException {
    CompletableFuture<LiveInstance> created = new CompletableFuture<>();
    CompletableFuture<LiveInstance> existing = instances.putIfAbsent(name, created);
    if (existing != null) {
      return existing.join();
    }
    try {
      LiveInstance live = startNow(name);
      created.complete(live);
      return live;
    } catch (IOException
        | SQLException
        | StartFailedException
        | ServiceException
        | RuntimeException e) {
      instances.remove(name, created);
      created.completeExceptionally(e);
      throw e;
    }
  }

  private LiveInstance startNow(String name)
      throws IOException, SQLException, StartFailedException, ServiceException {
    StateStore.InstanceRecord record =
        state.instance(name).orElseThrow(() -> new IOException("no instance named " + name));
    Path dir = layout.instanceDir(record.app(), name);
    AppConfig config = AppConfig.load(dir, devel).withAppName(record.app());
    FileRoots files = fileRoots(name, record.app(), dir, config);
    if (config.processCount() == 0) {
      return new LiveInstance(name, record.app(), null, files);
    }
    layout.createApp(record.app());
    AppEnvironment.Facts facts = facts(record, config);
    InstanceProcesses processes = supervisor.start(name, dir, config, facts);
    try {
      supervisor.awaitReady(processes, Supervisor.READY_TIMEOUT);
    } catch (StartFailedException e) {
      supervisor.stop(processes);
      throw e;
    }
    log.info("{} is ready ({} process(es))", name, processes.processes().size());
    return new LiveInstance(name, record.app(), processes, files);
  }

  /** The folders the front answers from before the app's processes. */
  private FileRoots fileRoots(String name, String app, Path dir, AppConfig config) {
    Path writableRoot =
        config.services().containsKey("writable_root")
            ? layout.appDir(app).resolve(WritableRootService.FOLDER)
            : null;
    Path phpRoot =
        config.runtime() == Runtime.PHP
            ? dir.toAbsolutePath().normalize().resolve(config.phpRoot()).normalize()
            : null;
    return new FileRoots(
        app,
        name,
        StaticFolders.atRoot(dir, config),
        StaticFolders.versioned(dir),
        phpRoot,
        writableRoot);
  }

  private AppEnvironment.Facts facts(StateStore.InstanceRecord record, AppConfig config)
      throws ServiceException {
    Location location = Location.parse(record.location());
    return new AppEnvironment.Facts(
        version,
        devel,
        record.name(),
        config,
        location.path(),
        location.isWildcard() || location.isDefault() ? "" : location.host(),
        // The stable link, not the tree it points to: a configuration change starts a new instance,
        // and an instance started later (prev., a restart) sees the newest revision.
        layout.appConfigCurrent(record.app()).toString(),
        layout.appLogsDir(record.app()).toString(),
        layout.appTmp(record.app()).toString(),
        withNodeVariables(services.environment(config), record.name()));
  }

  private Map<String, String> withNodeVariables(Map<String, String> env, String instance) {
    Map<String, String> extra = nodeVariables.apply(instance);
    if (extra.isEmpty()) {
      return env;
    }
    Map<String, String> all = new java.util.LinkedHashMap<>(env);
    all.putAll(extra);
    return all;
  }

  /**
   * The environment a command of instance {@code name} runs in (a {@code command} cron job): the
   * same as its processes', without a port of its own.
   */
  public Map<String, String> commandEnvironment(String name)
      throws IOException, SQLException, ServiceException {
    StateStore.InstanceRecord record =
        state.instance(name).orElseThrow(() -> new IOException("no instance named " + name));
    AppConfig config =
        AppConfig.load(layout.instanceDir(record.app(), name), devel).withAppName(record.app());
    Map<String, String> env =
        new java.util.LinkedHashMap<>(
            AppEnvironment.forProcess(facts(record, config), 0, System.getenv()));
    env.remove("PORT");
    return env;
  }

  @Override
  public boolean isRunning(String name) {
    CompletableFuture<LiveInstance> f = instances.get(name);
    return f != null && !f.isCompletedExceptionally();
  }

  /** Every instance running now, started and not stopped (those still draining included). */
  public java.util.List<LiveInstance> runningInstances() {
    java.util.List<LiveInstance> all = new java.util.ArrayList<>();
    for (CompletableFuture<LiveInstance> f : instances.values()) {
      if (f.isDone() && !f.isCompletedExceptionally()) {
        all.add(f.join());
      }
    }
    for (LiveInstance l : draining.values()) {
      if (!all.contains(l)) {
        all.add(l);
      }
    }
    return all;
  }

  /** The running instance {@code name}, or {@code null}. */
  public LiveInstance running(String name) {
    CompletableFuture<LiveInstance> f = instances.get(name);
    return f != null && f.isDone() && !f.isCompletedExceptionally() ? f.join() : null;
  }

  /**
   * Stops {@code name} after the requests it is answering finish (at most {@code drain}); {@code
   * grace} first lets requests that were routed just before a switch reach it.
   */
  public void stop(String name, Duration grace, Duration drain) {
    CompletableFuture<LiveInstance> f = instances.remove(name);
    if (f == null) {
      return;
    }
    LiveInstance live;
    try {
      live = f.join();
    } catch (RuntimeException e) {
      return; // it never started
    }
    if (live.processes() != null) {
      draining.put(name, live);
      try {
        sleep(grace);
        long deadline = System.nanoTime() + drain.toNanos();
        while (live.processes().inFlight() > 0 && System.nanoTime() < deadline) {
          sleep(Duration.ofMillis(20));
        }
        supervisor.stop(live.processes());
      } finally {
        draining.remove(name, live);
      }
    }
    log.info("{} stopped", name);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops everything, for a node shutting down. */
  public void stopAll() {
    instances.keySet().parallelStream().forEach(n -> stop(n, Duration.ZERO, Duration.ofSeconds(5)));
    // A deploy or an activate may be draining the instance it replaced: its processes would
    // outlive the node, so they are stopped now rather than after the drain.
    draining.values().parallelStream().forEach(l -> supervisor.stop(l.processes()));
  }
}

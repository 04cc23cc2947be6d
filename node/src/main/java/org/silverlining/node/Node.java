package org.silverlining.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.silverlining.core.InstanceName;
import org.silverlining.node.admin.AdminApi;
import org.silverlining.node.admin.ManagementAreas;
import org.silverlining.node.admin.Tokens;
import org.silverlining.node.backup.BackupScheduler;
import org.silverlining.node.backup.BackupService;
import org.silverlining.node.balancer.Balancer;
import org.silverlining.node.balancer.BalancerProxy;
import org.silverlining.node.balancer.HealthChecks;
import org.silverlining.node.balancer.HealthEndpoint;
import org.silverlining.node.cdn.CdnSettings;
import org.silverlining.node.config.ConfigStores;
import org.silverlining.node.config.ConfigUploads;
import org.silverlining.node.config.GlobalConfig;
import org.silverlining.node.control.AdminUsers;
import org.silverlining.node.control.AppConsole;
import org.silverlining.node.control.ConfigView;
import org.silverlining.node.control.Jobs;
import org.silverlining.node.control.LiveApps;
import org.silverlining.node.control.Locations;
import org.silverlining.node.control.NodeStatus;
import org.silverlining.node.control.Releases;
import org.silverlining.node.control.SecretKeys;
import org.silverlining.node.cron.CronLeadership;
import org.silverlining.node.cron.CronScheduler;
import org.silverlining.node.dashboard.Dashboard;
import org.silverlining.node.dashboard.DashboardPages;
import org.silverlining.node.dashboard.DashboardSettings;
import org.silverlining.node.deploy.Deployer;
import org.silverlining.node.front.AppCompression;
import org.silverlining.node.front.AppProxyHandler;
import org.silverlining.node.front.ByConnector;
import org.silverlining.node.front.DevelHtmlRewrite;
import org.silverlining.node.front.FrontConnector;
import org.silverlining.node.front.InstanceBinder;
import org.silverlining.node.front.InternalHeaderFilter;
import org.silverlining.node.front.LiveInstance;
import org.silverlining.node.front.LocationRouter;
import org.silverlining.node.front.MiddlewareHandler;
import org.silverlining.node.front.PhpHandler;
import org.silverlining.node.front.ProxiedRequest;
import org.silverlining.node.front.ProxyConnectionFactory;
import org.silverlining.node.front.Routing;
import org.silverlining.node.front.StaticFilesHandler;
import org.silverlining.node.front.TrustedForwarding;
import org.silverlining.node.front.UpgradeHandler;
import org.silverlining.node.instance.InstanceManager;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.layout.Trees;
import org.silverlining.node.lifecycle.HttpsPublisher;
import org.silverlining.node.lifecycle.InstanceVariables;
import org.silverlining.node.lifecycle.RoutePublisher;
import org.silverlining.node.lifecycle.StartReconciler;
import org.silverlining.node.logs.AccessLog;
import org.silverlining.node.logs.NodeLogging;
import org.silverlining.node.logs.StreamLogs;
import org.silverlining.node.middleware.MiddlewareChains;
import org.silverlining.node.middleware.Middlewares;
import org.silverlining.node.middleware.Packs;
import org.silverlining.node.middleware.SupervisedPacks;
import org.silverlining.node.monitor.MetricsEndpoint;
import org.silverlining.node.monitor.Monitor;
import org.silverlining.node.monitor.MonitorSettings;
import org.silverlining.node.monitor.ServedCertificate;
import org.silverlining.node.process.Supervisor;
import org.silverlining.node.runtime.RuntimeSupport;
import org.silverlining.node.runtime.RuntimeTools;
import org.silverlining.node.secret.PlatformSecret;
import org.silverlining.node.secret.SealingKey;
import org.silverlining.node.security.BadRequests;
import org.silverlining.node.security.ProbeWatch;
import org.silverlining.node.security.SecurityEvent;
import org.silverlining.node.security.SecurityGate;
import org.silverlining.node.security.SecurityLog;
import org.silverlining.node.security.SecuritySettings;
import org.silverlining.node.service.AppServices;
import org.silverlining.node.service.NodesetServices;
import org.silverlining.node.service.PostgresReplication;
import org.silverlining.node.service.ServiceMode;
import org.silverlining.node.service.ServiceProvider;
import org.silverlining.node.service.ServiceSecrets;
import org.silverlining.node.service.Services;
import org.silverlining.node.service.SharedServices;
import org.silverlining.node.state.StateStore;
import org.silverlining.node.staticfiles.ResourcePlan;
import org.silverlining.node.staticfiles.StaticFolders;
import org.silverlining.node.staticfiles.StaticResolver;
import org.silverlining.node.staticfiles.StaticUrls;
import org.silverlining.node.tasks.HttpTaskDelivery;
import org.silverlining.node.tasks.RedisTaskStore;
import org.silverlining.node.tasks.SqliteTaskStore;
import org.silverlining.node.tasks.TaskDispatcher;
import org.silverlining.node.tasks.TaskStores;
import org.silverlining.node.tasks.TaskTokens;
import org.silverlining.node.tasks.TasksApi;
import org.silverlining.node.tls.AcmeChallenges;
import org.silverlining.node.tls.AdminCertificate;
import org.silverlining.node.tls.Certificates;
import org.silverlining.node.tls.HttpsRedirect;
import org.silverlining.node.tls.TlsConnectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code silver node} daemon: one Jetty server with two connectors — the public HTTP front and
 * the management API — over a state store, a supervisor and the deploy pipeline. On start it
 * reconciles: processes a killed predecessor left are stopped, interrupted deployments are marked
 * failed and removed, and every live location is served again by the instance it had.
 */
public final class Node implements AutoCloseable {
  public static final String VERSION = "0.1.0";

  /** The fingerprint of the code this node runs, taken when it starts (the jar may be replaced). */
  private final String software = org.silverlining.core.SoftwareHash.of(Node.class);

  private static final Logger log = LoggerFactory.getLogger(Node.class);
  static final int MAX_THREADS = 96;
  static final int TASKS_API_THREADS = 16;

  private final NodeLayout layout;
  private final NodeSettings settings;
  private final FileChannel lockChannel;
  private final StateStore state;
  private final Supervisor supervisor;
  private final Routing routing = new Routing();
  private final InstanceManager instances;
  private final AppServices appServices;
  private final NodesetServices nodesetServices;
  private final CronScheduler cron;
  private final TaskStores taskStores;
  private final TaskTokens taskTokens = new TaskTokens();
  private final HttpTaskDelivery taskDelivery;
  private final TaskDispatcher tasks;
  private final Deployer deployer;
  private final StaticUrls staticUrls;
  private final ConfigStores configs;
  private final ConfigUploads configUploads;
  private final GlobalConfig globalConfig;
  private final PlatformSecret secret;
  private final ExecutorService workers;
  private final Server server;
  private final ServerConnector front;
  private final ServerConnector admin;
  private final ServerConnector https;
  private final Certificates certificates;
  private final HttpsRedirect httpsRedirect;
  private final AccessLog accessLog;
  private final SecurityLog securityLog;
  private final ProbeWatch probes;
  private final Server tasksServer;
  private final ServerConnector tasksConnector;
  private final BackupService backups;
  private final BackupScheduler backupScheduler;
  private final Locations locations;
  private final NodeStatus status;
  private final LiveApps liveApps;
  private final AppConsole console;
  private final ConfigView configView;
  private final Releases releases;
  private final Jobs jobs;
  private final StartReconciler reconciler;
  private final Monitor monitor;
  private final MonitorSettings monitorSettings;
  private final Middlewares middlewares;
  private final Balancer balancer;
  private final HealthChecks healthChecks;

  private Node(NodeLayout layout, NodeSettings settings, boolean devel) throws Exception {
    this.layout = layout;
    this.settings = settings;
    // read first: a bad [security] value stops the node before it changes anything
    SecuritySettings security = SecuritySettings.load(layout.nodeIni());
    layout.create();
    lockChannel =
        FileChannel.open(layout.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = lockChannel.tryLock();
    if (lock == null) {
      lockChannel.close();
      throw new IllegalStateException(
          "another node is already running with the root " + layout.root() + "; stop it first");
    }
    NodeLogging.toFile(layout.nodeLog(), settings.logs());
    securityLog =
        new SecurityLog(layout.securityLog(), settings.logs(), security, Clock.systemUTC());
    sqliteLibraryIn(layout.nativeLibDir());
    state = new StateStore(layout.stateDb());
    RuntimeSupport.install(layout.runtimeSupportDir());
    supervisor =
        new Supervisor(
            state,
            layout::appLog,
            settings.logs(),
            RuntimeTools.standard(layout.runtimeSupportDir()));
    workers = Executors.newCachedThreadPool(daemonThreads("node-worker"));
    MiddlewareChains chains = new MiddlewareChains();
    middlewares =
        new Middlewares(
            state,
            new Packs(
                layout.middlewareDir(), new SupervisedPacks(supervisor, VERSION, layout.logsDir())),
            chains);
    StaticFilesHandler staticFiles =
        new StaticFilesHandler(new StaticResolver(StaticFolders.deploymentsIn(layout)));
    Services services = Services.standard();
    ServiceMode mode = devel ? ServiceMode.DEVEL : ServiceMode.PRODUCTION;
    AppServices ownServices =
        config ->
            services.bind(
                config,
                mode,
                layout.appDir(config.appName()),
                settings.services(),
                new ServiceSecrets(layout.appSecrets(config.appName())));
    SharedServices sharedServices = new SharedServices(ownServices, services, layout::appSecrets);
    nodesetServices =
        new NodesetServices(
            sharedServices,
            new ServiceProvider(ownServices, layout::appProvidedIni),
            new PostgresReplication(
                settings.services().getOrDefault("postgresql", Map.of()),
                new ServiceSecrets(layout.secretsDir().resolve("replication"))));
    AppServices appServices = sharedServices;
    this.appServices = appServices;
    instances =
        new InstanceManager(layout, state, supervisor, appServices, workers, VERSION, devel);
    StreamLogs streamLogs = new StreamLogs(layout, settings.logs());
    cron = new CronScheduler(state, layout, instances, settings.logs());
    cron.leadBy(new CronLeadership(settings.name(), layout.nodesetsFile()));
    String taskOwner = taskOwner(layout, settings);
    taskStores =
        new TaskStores(
            settings.tasksBackend().isPresent()
                ? new RedisTaskStore(settings.tasksBackend().get(), taskOwner)
                : new SqliteTaskStore(layout.stateDb(), settings.tasksSync()),
            (url, prefix) -> new RedisTaskStore(url, taskOwner, prefix));
    taskDelivery = new HttpTaskDelivery(state, instances);
    tasks = new TaskDispatcher(taskStores, taskDelivery, streamLogs);
    RoutePublisher publishRoutes = new RoutePublisher(state, routing);
    publishRoutes.subscribe(cron::refresh);
    publishRoutes.subscribe(locations -> tasks.refresh(layout, locations));
    configs = new ConfigStores(layout);
    configs.openAll(state.apps());
    configUploads = new ConfigUploads(layout.uploadsDir());
    configUploads.clear();
    globalConfig = GlobalConfig.open(layout);
    staticUrls = new StaticUrls(layout, state, this::globalView, CdnSettings::publicBase, devel);
    secret = PlatformSecret.open(layout, java.time.Clock.systemUTC(), this::appNames);
    deployer =
        new Deployer(
            layout,
            state,
            appServices,
            instances,
            configs,
            publishRoutes,
            streamLogs,
            staticUrls::productionResources,
            // silver serve pushes nothing: a CDN has no copy of files being edited.
            (appIni, app) -> devel ? null : CdnSettings.of(appIni, globalView(app)));
    backups = new BackupService(layout, settings.name(), streamLogs);
    backups.clearLeftovers();
    locations = new Locations(state);
    liveApps = new LiveApps(layout, state, locations, appServices);
    backupScheduler = new BackupScheduler(backups, liveApps::all, layout);
    try {
      backups.finishUnfinished(liveApps.all());
    } catch (Exception e) {
      // each app's next restore tries again, and its checkpoints wait for it
      log.error("cannot write the checkpoints a node stop interrupted: {}", e.toString());
    }
    configView = new ConfigView(state, locations, configs, globalConfig);
    releases =
        new Releases(
            layout,
            state,
            locations,
            instances,
            appServices,
            configs,
            publishRoutes,
            workers,
            streamLogs);
    reconciler =
        new StartReconciler(
            layout, state, supervisor, appServices, configs, instances, publishRoutes);

    // One pool for the front, the admin API and the proxy's client side: the proxy is
    // asynchronous, so a few dozen threads carry thousands of connections.
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 8);
    threads.setName("front");
    // A burst's extra threads go together after 20 s idle (Jetty's default: one a minute), each
    // with its stack.
    threads.setIdleTimeout(20_000);
    threads.setMaxEvictCount(MAX_THREADS);
    server = new Server(threads);
    server.setErrorHandler(new BadRequests(securityLog));
    jobs = new Jobs(locations, cron, tasks);
    console = new AppConsole(locations, state, layout, instances, supervisor.tools(), devel);
    balancer = new Balancer(state);
    // The front's plain-HTTP connections: the byte-level proxy first, the full server for the rest.
    HttpConnectionFactory frontHttp = new HttpConnectionFactory();
    front =
        connector(
            settings.http(),
            "front",
            new ProxyConnectionFactory(
                server,
                frontHttp,
                routing,
                instances,
                staticFiles,
                // Under silver serve every request takes the full server, which rewrites HTML.
                path ->
                    devel
                        || path.startsWith(AcmeChallenges.PATH)
                        || path.equals(HealthEndpoint.PATH),
                balancer::trusts,
                this::redirectsToHttps,
                this::proxied,
                chains,
                securityLog),
            frontHttp);
    status =
        new NodeStatus(
            settings.name(),
            VERSION,
            software,
            this::httpPort,
            state,
            locations,
            instances,
            middlewares,
            staticUrls);
    // Certificates are obtained only for a node that serves HTTPS; uploaded ones are kept anyway.
    certificates =
        Certificates.open(
            layout,
            settings.https() != null
                ? settings.tls()
                : new org.silverlining.node.tls.TlsSettings("off", "", null),
            java.time.Clock.systemUTC());
    if (settings.https() != null) {
      https =
          TlsConnectors.front(
              server, settings.https().host(), settings.https().port(), certificates.store());
      server.addConnector(https);
    } else {
      https = null;
    }
    if (settings.adminOverTls()) {
      admin =
          TlsConnectors.admin(
              server,
              settings.admin().host(),
              settings.admin().port(),
              AdminCertificate.ensure(layout.adminCertificate(), settings.admin().host())
                  .keyManager());
      server.addConnector(admin);
    } else {
      admin = connector(settings.admin(), "admin");
    }
    // The tasks API for app processes: loopback, any free port, bound now so that instances
    // started by the start reconciliation already know SILVER_TASKS_URL.
    // Its own server: the tasks API never blocks on I/O, so its selector thread handles each
    // enqueue in place, without the hand-off to a worker thread the front's handlers need.
    QueuedThreadPool tasksThreads = new QueuedThreadPool(TASKS_API_THREADS, 2);
    tasksThreads.setName("tasks-api");
    tasksThreads.setReservedThreads(0);
    tasksServer = new Server(tasksThreads);
    HttpConfiguration tasksHttp = new HttpConfiguration();
    tasksHttp.setSendServerVersion(false); // one header less for every enqueue's client to read
    tasksConnector = new ServerConnector(tasksServer, 1, 1, new HttpConnectionFactory(tasksHttp));
    tasksConnector.setName("tasks");
    tasksConnector.setHost("127.0.0.1");
    tasksConnector.setPort(0);
    tasksConnector.setIdleTimeout(Duration.ofSeconds(60).toMillis());
    tasksConnector.setAcceptQueueSize(1024);
    tasksServer.addConnector(tasksConnector);
    tasksConnector.open();
    instances.setNodeVariables(
        new InstanceVariables(
            settings.name(),
            this::tasksPort,
            taskTokens,
            globalConfig,
            secret,
            staticUrls,
            this::monitoringVariables));
    Handler.Sequence answer =
        new Handler.Sequence(
            staticFiles,
            new UpgradeHandler(),
            AppCompression.around(
                develRewrite(
                    new Handler.Sequence(new PhpHandler(supervisor::log), new AppProxyHandler()),
                    devel)));
    httpsRedirect =
        new HttpsRedirect(
            certificates.store(),
            this::httpsPort,
            new MiddlewareHandler(
                chains,
                (request, refusal) ->
                    securityLog.record(
                        SecurityEvent.of(
                                SecurityEvent.Kind.valueOf(refusal.kind().name()),
                                request,
                                refusal.detail())
                            .withUser(refusal.user())),
                match ->
                    match.instance() == null
                        ? null
                        : layout.instanceDir(match.route().app(), match.instance()),
                new InstanceBinder(routing, instances, answer)));
    certificates.challenges().setHandler(new LocationRouter(routing, httpsRedirect));
    publishRoutes.subscribe(new HttpsPublisher(layout, httpsRedirect, certificates));
    BalancerProxy balancerProxy = new BalancerProxy(balancer, settings.http().host());
    healthChecks = new HealthChecks(balancer, balancerProxy);
    // The health endpoint, then a balancer's locations, then the node's own.
    Handler frontHandlers =
        new SecurityGate(
            securityLog,
            new InternalHeaderFilter(
                new Handler.Sequence(
                    new HealthEndpoint(settings.name()),
                    balancerProxy,
                    new TrustedForwarding(balancer::trusts, certificates.challenges()))));
    monitorSettings = MonitorSettings.load(layout.nodeIni());
    monitor =
        new Monitor(
            new Monitor.Sources(
                settings.name(),
                layout.monitorDb(),
                layout.root(),
                instances::runningInstances,
                status::liveLocations,
                app -> app == null ? globalConfig.viewOf("") : globalConfig.viewOf(app),
                monitorSettings,
                supervisor,
                this::appNames,
                layout::appLogLevel,
                streamLogs,
                () ->
                    certificates.store().all().stream()
                        .map(c -> new ServedCertificate(c.host(), c.source(), c.notAfter()))
                        .toList()),
            Clock.systemUTC());
    Tokens tokens = new Tokens(layout.tokensFile());
    AdminUsers adminUsers =
        new AdminUsers(
            state, SealingKey.open(layout.sealingKey()), settings.name(), Clock.systemUTC());
    ManagementAreas areas =
        new ManagementAreas(
            status,
            liveApps,
            new SecretKeys(secret),
            releases,
            jobs,
            configView,
            configUploads,
            deployer,
            backups,
            backupScheduler,
            layout::appLog,
            layout.uploadsDir(),
            monitor,
            console,
            certificates,
            securityLog,
            middlewares,
            balancer,
            adminUsers,
            nodesetServices);
    Handler adminHandler =
        new Dashboard(
            adminUsers,
            DashboardSettings.load(layout.nodeIni()),
            securityLog,
            workers,
            settings.name(),
            VERSION,
            new DashboardPages(areas, workers).areas(),
            Clock.systemUTC(),
            new MetricsEndpoint(
                monitor.metrics(),
                t -> tokens.verify(t).isPresent(),
                monitorSettings,
                new AdminApi(tokens, workers, areas.areas(), securityLog)));
    server.setHandler(new ByConnector(frontHandlers, adminHandler, admin));
    tasksServer.setHandler(new TasksApi(taskTokens, state, layout, tasks));
    accessLog = new AccessLog(layout.accessLog(), settings.logs(), LiveInstance::nameOf);
    probes = new ProbeWatch(securityLog, admin);
    server.setRequestLog(
        monitorSettings.countRequests()
            ? new RequestLog.Collection(accessLog, probes, monitor.metrics().front())
            : new RequestLog.Collection(accessLog, probes));
    tasksServer.setRequestLog(accessLog);
  }

  /**
   * Who claims tasks in a shared task store: this node, the same across its restarts and different
   * from any other node (one node runs per root and host).
   */
  private static String taskOwner(NodeLayout layout, NodeSettings settings) {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "localhost";
    }
    return settings.name() + "@" + host + ":" + layout.root().toAbsolutePath();
  }

  /**
   * Has the SQLite driver copy its native library out of the jar into {@code dir}, emptied first,
   * rather than into the system's temporary folder, where each copy a killed node left would stay.
   * The library loads once a JVM: the first node a JVM starts decides where it comes from.
   */
  private static void sqliteLibraryIn(Path dir) throws IOException {
    Trees.delete(dir);
    Files.createDirectories(dir);
    System.setProperty("org.sqlite.tmpdir", dir.toString());
  }

  /** Starts a node on {@code layout}'s root with {@code settings}; it serves until closed. */
  public static Node start(NodeLayout layout, NodeSettings settings, boolean devel)
      throws Exception {
    return start(layout, settings, devel, true);
  }

  /**
   * Starts a node whose public front listens only once {@link #openFront()} is called when {@code
   * frontOpen} is false: {@code silver serve} deploys its app first, so that its first answer is
   * the app's, not a not-found page.
   */
  public static Node start(
      NodeLayout layout, NodeSettings settings, boolean devel, boolean frontOpen) throws Exception {
    Node node = new Node(layout, settings, devel);
    try {
      node.reconciler.run(); // first: it stops the processes a killed node left, packs' too
      node.middlewares.load();
      if (!frontOpen) {
        node.server.removeConnector(node.front);
      }
      node.server.start();
      node.tasksServer.start();
      node.cron.start();
      node.jobs.shareNodesetTasks();
      node.tasks.onAttempt(node.monitor::taskAttempt);
      node.tasks.start();
      node.secret.start();
      node.backupScheduler.start();
      node.cron.onRun(node.monitor::cronRun);
      node.monitor.start();
      node.certificates.start();
      node.healthChecks.start();
    } catch (Exception e) {
      node.close();
      throw e;
    }
    log.info(
        "node {} serving http://{}:{}/, admin API on {}:{}",
        settings.name(),
        settings.http().host(),
        node.httpPort(),
        settings.admin().host(),
        node.adminPort());
    return node;
  }

  /** Whether a plain-HTTP request for {@code app} at {@code host} is redirected to HTTPS. */
  private boolean redirectsToHttps(String app, String host) {
    return httpsRedirect.redirects(app, host);
  }

  /** Logs and counts a request the front's byte-level proxy answered, as the server's are. */
  private void proxied(ProxiedRequest r) {
    accessLog.log(
        r.remote(),
        r.host(),
        r.method(),
        r.pathQuery(),
        "HTTP/1.1",
        r.status(),
        r.bytes(),
        r.beginNanos(),
        r.live().name());
    if (monitorSettings.countRequests()) {
      monitor.metrics().front().count(r);
    }
    probes.answered(r.remote(), r.method(), r.path(), r.status());
  }

  private ServerConnector connector(
      NodeSettings.HostPort at, String name, ConnectionFactory... factories) {
    ServerConnector c =
        factories.length == 0 ? new ServerConnector(server) : new FrontConnector(server, factories);
    c.setName(name);
    c.setHost(at.host());
    c.setPort(at.port());
    c.setIdleTimeout(Duration.ofSeconds(60).toMillis());
    c.setAcceptQueueSize(1024);
    server.addConnector(c);
    return c;
  }

  /**
   * {@code logs/security.log}: where the front, the management API and the dashboard record
   * attempted attacks and refusals, and who is banned.
   */
  public SecurityLog securityLog() {
    return securityLog;
  }

  /** The node's certificates, for the management API. */
  public Certificates certificates() {
    return certificates;
  }

  /** The port of the front's HTTPS listener, or 0 when it has none. */
  public int httpsPort() {
    return https == null ? 0 : https.getLocalPort();
  }

  public int httpPort() {
    return front.getLocalPort();
  }

  /**
   * Under {@code silver serve}, {@code app} with the app's HTML answers pointed at the development
   * URLs of its named resources (unless it serves them minified); else {@code app} itself.
   */
  private Handler develRewrite(Handler app, boolean devel) {
    if (!devel) {
      return app;
    }
    return new DevelHtmlRewrite(
        app,
        instance -> {
          if (staticUrls.productionResources()) {
            return Map.of();
          }
          try {
            InstanceName name = InstanceName.parse(instance);
            ResourcePlan plan = ResourcePlan.read(layout.instanceDir(name.app(), instance));
            return plan == null ? Map.of() : plan.rewrite();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** Opens the public front of a node started with it closed; does nothing if it is open. */
  public void openFront() throws Exception {
    if (!front.isStarted()) {
      server.addConnector(front);
      if (!front.isStarted()) {
        front.start();
      }
    }
  }

  public int adminPort() {
    return admin.getLocalPort();
  }

  /** The port of the tasks API app processes reach as {@code SILVER_TASKS_URL}. */
  public int tasksPort() {
    return tasksConnector.getLocalPort();
  }

  /**
   * {@code SILVER_LOG_LEVEL_FILE} and {@code SILVER_LOG_LEVEL} (the level now), and {@code
   * SILVER_DEBUG_EMAIL} when the global configuration has an {@code error_email}.
   */
  /** The global configuration's {@code key} as {@code app} sees it, or null. */
  private Map<String, String> globalView(String app) {
    try {
      return globalConfig.viewOf(app);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Map<String, String> monitoringVariables(String app) {
    Map<String, String> vars = new LinkedHashMap<>();
    try {
      vars.put("SILVER_LOG_LEVEL_FILE", monitor.logLevels().file(app).toString());
      vars.put("SILVER_LOG_LEVEL", monitor.logLevels().current(app));
      String email = globalConfig.viewOf(app).get("error_email");
      if (email != null && !email.isBlank()) {
        vars.put("SILVER_DEBUG_EMAIL", email.strip());
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return vars;
  }

  /** The apps of the state store, for the platform secret to refresh their copies of the ring. */
  private List<String> appNames() {
    try {
      return state.apps();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the state store", e);
    }
  }

  public NodeLayout layout() {
    return layout;
  }

  public Deployer deployer() {
    return deployer;
  }

  /** The apps' {@code $STATIC_URL}s and resource URLs. */
  public StaticUrls staticUrls() {
    return staticUrls;
  }

  public ConfigStores configs() {
    return configs;
  }

  public ConfigUploads configUploads() {
    return configUploads;
  }

  public GlobalConfig globalConfig() {
    return globalConfig;
  }

  /** Configuration revisions and the global configuration, for the management API. */
  public ConfigView configView() {
    return configView;
  }

  /** Which instance serves each location: registry, rollback, activate, disable. */
  public Releases releases() {
    return releases;
  }

  /** Metrics, history and the other monitoring views, for the management API. */
  public Monitor monitor() {
    return monitor;
  }

  /** Cron jobs and task queues, for the management API. */
  public Jobs jobs() {
    return jobs;
  }

  public BackupService backups() {
    return backups;
  }

  public BackupScheduler backupScheduler() {
    return backupScheduler;
  }

  /** What the node is and serves: apps, instances, locations and their URLs. */
  public NodeStatus status() {
    return status;
  }

  /** Stops serving, stops every app process, and closes the state store. */
  @Override
  public void close() {
    healthChecks.close();
    monitor.close();
    cron.close();
    certificates.close();
    backupScheduler.close();
    configs.close();
    globalConfig.close();
    secret.close();
    tasks.close();
    taskDelivery.close();
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("stopping the HTTP server: {}", e.toString());
    }
    try {
      tasksServer.stop();
    } catch (Exception e) {
      log.warn("stopping the tasks API: {}", e.toString());
    }
    accessLog.close();
    securityLog.close();
    instances.stopAll();
    supervisor.close();
    workers.shutdownNow();
    try {
      taskStores.close();
    } catch (Exception e) {
      log.warn("closing the task stores: {}", e.toString());
    }
    try {
      state.close();
      lockChannel.close();
    } catch (SQLException | IOException e) {
      log.warn("closing the state store: {}", e.toString());
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}

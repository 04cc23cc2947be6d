package org.silverlining.cli;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.silverlining.node.Node;
import org.silverlining.node.NodeSettings;
import org.silverlining.node.admin.Tokens;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.tls.AdminCertificate;

/** Creating, registering and running a node on this machine, for `node init/start` and friends. */
final class LocalNodes {
  private LocalNodes() {}

  /**
   * Writes {@code node.ini} (keeping what an earlier init wrote, changed by the options given),
   * makes a token and registers the node for the CLI under {@code name}.
   */
  static NodeSettings init(
      Path root, String name, NodeSettings.HostPort http, NodeSettings.HostPort admin)
      throws IOException {
    return init(root, name, http, admin, s -> s);
  }

  /**
   * As {@link #init(Path, String, NodeSettings.HostPort, NodeSettings.HostPort)}, with {@code
   * change} applied to the settings before they are saved (HTTPS, the admin API's TLS, ACME).
   */
  static NodeSettings init(
      Path root,
      String name,
      NodeSettings.HostPort http,
      NodeSettings.HostPort admin,
      java.util.function.UnaryOperator<NodeSettings> change)
      throws IOException {
    Made made = make(root, name, http, admin, change);
    NodeRegistry.forUser()
        .register(
            name,
            NodeRegistry.adminUrl(made.settings()),
            made.token(),
            made.layout().root(),
            made.fingerprint());
    return made.settings();
  }

  /** A node's folder as {@link #make} left it, with the token it made. */
  record Made(NodeLayout layout, NodeSettings settings, String token, String fingerprint) {}

  /**
   * Writes {@code node.ini} (keeping what an earlier init wrote, changed by the options given and
   * {@code change}), the platform secret, a new token and, for an API over TLS, its certificate;
   * registers nothing.
   */
  static Made make(
      Path root,
      String name,
      NodeSettings.HostPort http,
      NodeSettings.HostPort admin,
      java.util.function.UnaryOperator<NodeSettings> change)
      throws IOException {
    NodeLayout layout = new NodeLayout(root);
    layout.create();
    NodeSettings settings =
        Files.isRegularFile(layout.nodeIni())
            ? NodeSettings.load(layout.nodeIni())
            : new NodeSettings(name, NodeSettings.DEFAULT_HTTP, NodeSettings.DEFAULT_ADMIN);
    settings = settings.withName(name);
    if (http != null) {
      settings = settings.withHttp(http);
    }
    if (admin != null) {
      settings = settings.withAdmin(admin);
    }
    settings = change.apply(settings);
    settings.save(layout.nodeIni());
    org.silverlining.node.secret.PlatformSecret.ensure(layout, java.time.Instant.now());
    String token = new Tokens(layout.tokensFile()).create(System.getProperty("user.name", "admin"));
    String fingerprint =
        settings.adminOverTls()
            ? AdminCertificate.ensure(layout.adminCertificate(), settings.admin().host())
                .fingerprint()
            : null;
    return new Made(layout, settings, token, fingerprint);
  }

  /** Starts the node at {@code root}; options override node.ini and are saved there. */
  static Node start(
      Path root, NodeSettings.HostPort http, NodeSettings.HostPort admin, boolean devel)
      throws Exception {
    return start(root, http, admin, null, devel);
  }

  /** As above, with {@code https}, when given, for the front's TLS listener. */
  static Node start(
      Path root,
      NodeSettings.HostPort http,
      NodeSettings.HostPort admin,
      NodeSettings.HostPort https,
      boolean devel)
      throws Exception {
    NodeLayout layout = new NodeLayout(root);
    if (!Files.isRegularFile(layout.nodeIni())) {
      throw new UserException(
          "no node.ini in "
              + layout.root()
              + "; create the node first: silver node init --root "
              + root);
    }
    NodeSettings settings = NodeSettings.load(layout.nodeIni());
    if (http != null) {
      settings = settings.withHttp(http);
    }
    if (admin != null) {
      settings = settings.withAdmin(admin);
    }
    if (https != null) {
      settings = settings.withHttps(https);
    }
    if (settings.adminOverTls() && !Files.isRegularFile(layout.adminCertificate())) {
      throw new UserException(
          "the management API on "
              + settings.admin()
              + " needs TLS (it is not on loopback, or admin_tls is set), and "
              + layout.adminCertificate()
              + " is missing; run silver node init --root "
              + root
              + " again to make it and pin it for this CLI");
    }
    Node node;
    try {
      node = Node.start(layout, settings, devel);
    } catch (org.silverlining.node.state.NewerFormatException e) {
      throw new UserException("the node refuses to start: " + e.getMessage());
    } catch (IOException e) {
      if (e.getCause() instanceof java.net.BindException || e instanceof java.net.BindException) {
        throw new UserException(
            "cannot listen on "
                + settings.http()
                + (settings.https() != null ? ", " + settings.https() : "")
                + " or "
                + settings.admin()
                + ": the address is in use; choose others with --http"
                + (settings.https() != null ? ", --https" : "")
                + " and --admin");
      }
      throw e;
    }
    // Port 0 means "any free port": record the one taken so that the CLI finds it.
    settings =
        settings
            .withHttp(new NodeSettings.HostPort(settings.http().host(), node.httpPort()))
            .withAdmin(new NodeSettings.HostPort(settings.admin().host(), node.adminPort()));
    if (settings.https() != null) {
      settings =
          settings.withHttps(new NodeSettings.HostPort(settings.https().host(), node.httpsPort()));
    }
    settings.save(layout.nodeIni());
    return node;
  }

  /**
   * The daemon's JVM options, as {@code bin/silver} gives {@code silver node}: a small heap and a
   * compact collector keep an idle node small. {@code SILVER_NODE_JAVA_OPTS} replaces them.
   */
  static List<String> nodeJavaOptions() {
    String opts = System.getenv("SILVER_NODE_JAVA_OPTS");
    return opts != null
        ? List.of(opts.trim().split("\\s+")).stream().filter(o -> !o.isEmpty()).toList()
        : List.of("-XX:+UseSerialGC", "-Xss512k", "-XX:MaxRAM=1g", "-Xmx256m");
  }

  /** The command line that starts the node at {@code root} with the jar {@code jar}. */
  static List<String> startCommand(Path java, List<String> options, Path jar, Path root) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.addAll(options);
    cmd.addAll(List.of("-jar", jar.toString(), "node", "start", "--root", root.toString()));
    return cmd;
  }

  /** The jar this command runs from: the node software of this build. */
  static Path ownJar() {
    Path jar;
    try {
      jar = Path.of(LocalNodes.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      throw new UserException("cannot tell which jar this command runs from: " + e.getMessage());
    }
    if (!Files.isRegularFile(jar)) {
      throw new UserException("this command does not run from a jar (" + jar + "); build it first");
    }
    return jar;
  }

  /** Where a node started in the background writes what it prints. */
  static Path consoleLog(Path root) {
    return new NodeLayout(root).logsDir().resolve("node-console.log");
  }

  /**
   * Starts the node at {@code root} from this build's jar in the background, under its supervisor
   * {@link NodeRunner} ({@code ROOT/software/run-node}, written for this jar), which starts it
   * again when it dies; in a session of its own (setsid), so that both outlive this command and a
   * Ctrl-C in the terminal that ran it. What the node prints is appended to {@link #consoleLog},
   * beside the node's own log. The process returned is the supervisor's.
   */
  static Process startDetached(Path root) throws IOException {
    Path at = root.toAbsolutePath().normalize();
    Path log = consoleLog(at);
    Files.createDirectories(log.getParent());
    Path runner = runner(at);
    Files.createDirectories(runner.getParent());
    String start =
        String.join(
            " ",
            startCommand(
                    Path.of(System.getProperty("java.home"), "bin", "java"),
                    nodeJavaOptions(),
                    ownJar(),
                    at)
                .stream()
                .map(SshTarget::quote)
                .toList());
    Files.writeString(
        runner,
        NodeRunner.script(
            NodeSettings.load(new NodeLayout(at).nodeIni()).name(), at.toString(), start));
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(SETSID)) {
      cmd.add(SETSID.toString());
    }
    cmd.addAll(List.of("/bin/sh", runner.toString()));
    return new ProcessBuilder(cmd)
        .directory(at.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
  }

  /** The supervisor script of a local node. */
  static Path runner(Path root) {
    return root.resolve("software").resolve("run-node");
  }

  /**
   * The running supervisor of the node at {@code root}: the process named in {@code
   * software/node.pid} when it runs that node's {@code run-node}.
   */
  static Optional<ProcessHandle> supervisor(Path root) {
    Path at = root.toAbsolutePath().normalize();
    long pid;
    try {
      pid = Long.parseLong(Files.readString(at.resolve("software/node.pid")).strip());
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    String runner = runner(at).toString();
    return ProcessHandle.of(pid)
        .filter(p -> p.info().arguments().map(List::of).orElse(List.of()).contains(runner));
  }

  /**
   * Stops the node at {@code root} and its apps ({@link #stop}), through its supervisor when it has
   * one (so that it is not started again); false when neither runs.
   */
  static boolean stopNode(Path root, Duration timeout) {
    Optional<ProcessHandle> running = supervisor(root).or(() -> running(root));
    running.ifPresent(p -> stop(p, timeout));
    return running.isPresent();
  }

  private static final Path SETSID = Path.of("/usr/bin/setsid");

  /**
   * The running node process on {@code root}: the one whose command line is {@code node start
   * --root ROOT}, as {@link #startDetached}, {@code silver node start} and a service start it.
   */
  static Optional<ProcessHandle> running(Path root) {
    String at = root.toAbsolutePath().normalize().toString();
    return ProcessHandle.allProcesses()
        .filter(p -> startsNodeOn(p.info().arguments().map(List::of).orElse(List.of()), at))
        .findFirst();
  }

  private static boolean startsNodeOn(List<String> args, String root) {
    int start = args.indexOf("start");
    int at = args.indexOf("--root");
    return start > 0
        && args.get(start - 1).equals("node")
        && at > start
        && at + 1 < args.size()
        && Path.of(args.get(at + 1)).toAbsolutePath().normalize().toString().equals(root);
  }

  /**
   * Stops {@code node} as an operator would: SIGTERM, on which the node stops its apps; whatever of
   * it or its apps is still there after {@code timeout} is killed.
   */
  static void stop(ProcessHandle node, Duration timeout) {
    List<ProcessHandle> apps = node.descendants().toList();
    node.destroy();
    try {
      node.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      node.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
    apps.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * A node just started with {@link #startDetached}: its supervisor and where its console output
   * began, to tell whether it died before it answered.
   */
  record Started(Process supervisor, Path log, long from) {
    static Started start(Path root) throws IOException {
      Path log = consoleLog(root.toAbsolutePath().normalize());
      long from = Files.isRegularFile(log) ? Files.size(log) : 0;
      return new Started(startDetached(root), log, from);
    }

    /**
     * Why the node is not coming up, with the end of what it printed before it exited; null while
     * it may still come up. Its supervisor would start it again, so the first exit says it.
     */
    String failure() {
      List<String> lines = printedSince(log, from);
      int exited = 0;
      while (exited < lines.size() && !lines.get(exited).startsWith(NodeRunner.EXITED)) {
        exited++;
      }
      if (exited == lines.size() && supervisor.isAlive()) {
        return null;
      }
      String status =
          exited < lines.size()
              ? "it exited with status "
                  + lines.get(exited).substring(NodeRunner.EXITED.length()).split(";")[0]
              : "its supervisor exited with " + supervisor.exitValue();
      List<String> before = lines.subList(Math.max(0, exited - 3), exited);
      return before.isEmpty() ? status : status + ": " + String.join(" | ", before);
    }
  }

  /** The lines of console log {@code log} past its byte {@code from}; none when there are none. */
  static List<String> printedSince(Path log, long from) {
    try (var in = Files.newInputStream(log)) {
      in.skipNBytes(from);
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          .lines()
          .toList();
    } catch (IOException e) {
      return List.of(); // nothing printed yet
    }
  }

  /** The last {@code n} lines of {@code file}; none when it cannot be read. */
  static List<String> lastLines(Path file, int n) {
    try {
      List<String> lines = Files.readAllLines(file);
      return lines.subList(Math.max(0, lines.size() - n), lines.size());
    } catch (IOException e) {
      return List.of();
    }
  }
}

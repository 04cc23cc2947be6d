package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real node for end-to-end tests: {@code bin/silver node init} and {@code node start} in a
 * temporary folder, on loopback ports it takes itself (port 0) and names when it has started, with
 * its own {@code HOME} so that the CLI's node registry is private to the test. Commands run through
 * {@code bin/silver}, as a user would.
 */
public final class TestNode implements AutoCloseable {
  /** The project's root: tests run in the cli module's folder. */
  public static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();

  public static final Path SILVER = PROJECT.resolve("bin/silver");
  public static final String NAME = "test";

  /** What a command printed and how it ended. */
  public record Result(int exitCode, String stdout, String stderr) {
    public String output() {
      return stdout + stderr;
    }
  }

  private final Path dir;
  private final Path home;
  private final Path root;
  private final String name;

  /** The loopback address the node listens on. */
  private final String address;

  private int httpPort;
  private int adminPort;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Process node;
  private Path log;

  private TestNode(Path dir) throws IOException {
    this(dir, dir.resolve("home"), dir.resolve("node"), NAME, "127.0.0.1");
  }

  private TestNode(Path dir, Path home, Path root, String name, String address) throws IOException {
    this.dir = dir;
    this.home = home;
    this.root = root;
    this.name = name;
    this.address = address;
    Files.createDirectories(home);
  }

  /**
   * Creates and starts the node {@code name} in {@code dir/name} on the loopback address {@code
   * address} (127.0.0.x, ports it takes itself), registered in the CLI registry of {@code home},
   * which several nodes share: the servers of a nodeset on one machine.
   */
  public static TestNode start(Path dir, Path home, String name, String address) throws Exception {
    TestNode n = new TestNode(dir, home, dir.resolve(name), name, address);
    Result init =
        n.silver(
            "node",
            "init",
            "--root",
            n.root.toString(),
            "--name",
            name,
            "--http",
            n.anyPort(),
            "--admin",
            n.anyPort());
    if (init.exitCode() != 0) {
      throw new IllegalStateException("node init failed: " + init.output());
    }
    n.startProcess(Map.of());
    return n;
  }

  private String anyPort() {
    return address + ":0";
  }

  /** The node's name in the CLI registry. */
  public String name() {
    return name;
  }

  /** The loopback address the node listens on. */
  public String address() {
    return address;
  }

  /** Creates and starts a node in {@code dir}; returns once it says it has started. */
  public static TestNode start(Path dir) throws Exception {
    return start(dir, Map.of());
  }

  /** Creates and starts a node in {@code dir} with {@code env} added to its environment. */
  public static TestNode start(Path dir, Map<String, String> env) throws Exception {
    TestNode n = create(dir);
    n.startProcess(env);
    return n;
  }

  /**
   * Creates a node in {@code dir} ({@code node init}) without starting it, for a test that changes
   * its {@code node.ini} first; {@link #startProcess()} starts it.
   */
  public static TestNode create(Path dir) throws Exception {
    TestNode n = new TestNode(dir);
    Result init =
        n.silver(
            "node",
            "init",
            "--root",
            n.root.toString(),
            "--name",
            NAME,
            "--http",
            ANY_PORT,
            "--admin",
            ANY_PORT);
    if (init.exitCode() != 0) {
      throw new IllegalStateException("node init failed: " + init.output());
    }
    return n;
  }

  /**
   * Starts a node on the root {@code dir/node} that is already there (a fixture of an earlier
   * release), with {@code dir/home} as the CLI's HOME; returns once it says it has started.
   */
  public static TestNode startExisting(Path dir) throws Exception {
    TestNode n = new TestNode(dir);
    n.startProcess(Map.of());
    return n;
  }

  /**
   * Starts the node process again on the same root (after {@link #kill9} or {@link #stop}), on
   * ports it chooses anew: {@link #httpPort} and {@link #adminPort} say which.
   */
  public void startProcess() throws Exception {
    startProcess(Map.of());
  }

  /** The command that starts this node on ports it takes itself. */
  public List<String> startCommand() {
    return List.of(
        SILVER.toString(),
        "node",
        "start",
        "--root",
        root.toString(),
        "--http",
        anyPort(),
        "--admin",
        anyPort());
  }

  /** Starts the node process again with {@code env} added to its environment. */
  public void startProcess(Map<String, String> env) throws Exception {
    // Port 0 on every start: the node binds free ports itself and says which in its "started"
    // line (and in node.ini, where the CLI reads them), so no other process can take them first.
    startProcess(startCommand(), env);
  }

  /**
   * Starts the node process again on the ports it had (after {@link #kill9}), for a test that needs
   * the same address, such as a balancer's app server coming back.
   */
  public void startProcessOnSamePorts() throws Exception {
    startProcess(
        List.of(
            SILVER.toString(),
            "node",
            "start",
            "--root",
            root.toString(),
            "--http",
            address + ":" + httpPort,
            "--admin",
            address + ":" + adminPort),
        Map.of());
  }

  private void startProcess(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true);
    pb.environment().put("HOME", home.toString());
    pb.environment().putAll(env);
    node = pb.start();
    Matcher started;
    try {
      log = dir.resolve("node-" + System.nanoTime() + ".log");
      started = NodeOutput.copy(node, log, STARTED).get(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the node did not say it had started within 60 s");
    }
    if (started == null) {
      node.waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "the node exited" + (node.isAlive() ? "" : " with " + node.exitValue()));
    }
    httpPort = Integer.parseInt(started.group(1));
    adminPort = Integer.parseInt(started.group(2));
  }

  private static final String ANY_PORT = "127.0.0.1:0";

  /** The line {@code node start} prints once it serves, with the ports it took. */
  static final Pattern STARTED =
      Pattern.compile("^Node '.*' started: front [^ ]+:(\\d+), management API [^ ]+:(\\d+)");

  /**
   * Runs {@code bin/silver ARGS} with this node's HOME and {@code --node} appended where useful.
   */
  public Result silver(String... args) throws Exception {
    return run(List.of(args), null);
  }

  /** Runs {@code silver update APP MORE...} (a location, options), asserting that it succeeded. */
  public Result update(Path app, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("update", app.toString()));
    args.addAll(List.of(more));
    Result r = run(args, null);
    assertThat(r.exitCode()).as("silver %s%n%s", args, r.output()).isZero();
    return r;
  }

  private static final Pattern LIVE = Pattern.compile("Live: (\\S+) at");

  /** The instance a successful update's {@code Live: INSTANCE at LOCATION} line names. */
  public static String liveInstance(Result update) {
    Matcher m = LIVE.matcher(update.stdout());
    assertThat(m.find()).as("a Live: line in%n%s", update.output()).isTrue();
    return m.group(1);
  }

  /** Runs {@code bin/silver ARGS} with {@code stdin} as its input. */
  public Result run(List<String> args, String stdin) throws Exception {
    return run(home, args, stdin);
  }

  /**
   * Runs {@code bin/silver ARGS} with {@code home} as the CLI's HOME and {@code stdin} as input.
   */
  public static Result run(Path home, List<String> args, String stdin) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(SILVER.toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(PROJECT.toFile());
    pb.environment().put("HOME", home.toString());
    Process p = pb.start();
    CompletableFuture<String> out = read(p.getInputStream());
    CompletableFuture<String> err = read(p.getErrorStream());
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("silver " + args + " did not finish within 180 s");
    }
    return new Result(p.exitValue(), out.get(), err.get());
  }

  private static CompletableFuture<String> read(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "";
          }
        });
  }

  /** GET {@code path} through the front with {@code Host: host}. */
  public HttpResponse<String> get(String host, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://" + address + ":" + httpPort + path))
            .header("Host", host)
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A call to the management API with the given token ({@code null}: none). */
  public HttpResponse<String> api(String method, String call, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create("http://" + address + ":" + adminPort + "/api/v1/" + call))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The token the CLI registered for this node. */
  public String token() throws IOException {
    for (String line : Files.readAllLines(home.resolve(".silverlining/nodes/" + name + ".ini"))) {
      if (line.startsWith("token = ")) {
        return line.substring("token = ".length()).strip();
      }
    }
    throw new IllegalStateException("no token registered");
  }

  /** The node's process (for its pid and its children). */
  public Process process() {
    return node;
  }

  /** What the node process started last has printed so far. */
  public String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  public Path root() {
    return root;
  }

  public Path home() {
    return home;
  }

  public int httpPort() {
    return httpPort;
  }

  public int adminPort() {
    return adminPort;
  }

  /** Kills the node with SIGKILL, leaving its app processes behind as a crash would. */
  public List<ProcessHandle> kill9() throws InterruptedException {
    List<ProcessHandle> children = node.children().toList();
    node.destroyForcibly();
    node.waitFor(10, TimeUnit.SECONDS);
    return children;
  }

  /** Stops the node gracefully (SIGTERM), which stops its apps. */
  public void stop() throws InterruptedException {
    if (node != null && node.isAlive()) {
      node.destroy();
      if (!node.waitFor(30, TimeUnit.SECONDS)) {
        node.descendants().forEach(ProcessHandle::destroyForcibly);
        node.destroyForcibly();
      }
    }
  }

  @Override
  public void close() throws Exception {
    List<ProcessHandle> left = node == null ? List.of() : node.descendants().toList();
    stop();
    left.forEach(ProcessHandle::destroyForcibly);
  }

  /** A copy of an example app in the test's folder, with app.ini lines appended. */
  public Path copyExample(String example, String... appIniLines) throws IOException {
    Path src = PROJECT.resolve("examples").resolve(example);
    Path dst = dir.resolve("apps").resolve(example + "-" + System.nanoTime());
    try (var files = Files.walk(src)) {
      for (Path p : files.toList()) {
        Path t = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    if (appIniLines.length > 0) {
      Files.writeString(
          dst.resolve("app.ini"),
          String.join("\n", appIniLines) + "\n",
          java.nio.file.StandardOpenOption.APPEND);
    }
    return dst;
  }

  /** Environment for child commands, e.g. {@code Map.of("HOME", ...)}. */
  public Map<String, String> env() {
    return Map.of("HOME", home.toString());
  }
}

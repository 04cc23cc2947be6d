package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes made by the CLI: {@code create-node --provider local} on a loopback address of its own,
 * {@code create-node --provider ssh} and {@code setup-node} on a real sshd (key login, host keys
 * pinned), {@code list-nodes}, {@code destroy-node}, through {@code bin/silver} as a user runs
 * them.
 */
class NodesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;
  private Path home;

  @BeforeEach
  void home() throws Exception {
    home = dir.resolve("home");
    Files.createDirectories(home);
  }

  /** Whatever a failed test left running in its folder: nodes, supervisors, apps. */
  @AfterEach
  void leaveNothingRunning() {
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(dir.toString()))
        .filter(p -> !p.info().command().orElse("").endsWith("sshd"))
        .forEach(ProcessHandle::destroyForcibly);
  }

  private TestNode.Result silver(String... args) throws Exception {
    return TestNode.run(home, List.of(args), null);
  }

  private TestNode.Result ok(String... args) throws Exception {
    TestNode.Result r = silver(args);
    assertThat(r.exitCode()).as("silver %s%n%s", List.of(args), r.output()).isZero();
    return r;
  }

  private JsonNode listed(String name) throws Exception {
    for (JsonNode n : JSON.readTree(ok("list-nodes", "--json").stdout()).path("nodes")) {
      if (n.path("name").asText().equals(name)) {
        return n;
      }
    }
    return null;
  }

  private HttpResponse<String> get(String address, String host) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://" + address + "/"))
            .header("Host", host)
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** An app that answers "hello", or with {@code service.sqlite} the path of its database. */
  private Path app(String name, String... more) throws Exception {
    Path app = dir.resolve("apps").resolve(name);
    Files.createDirectories(app);
    Files.writeString(
        app.resolve("app.ini"),
        "[production]\napp_name = "
            + name
            + "\nruntime = command\nrunner = python3 app.py\n"
            + String.join("\n", more)
            + "\n");
    Files.writeString(
        app.resolve("app.py"),
        """
        import http.server, os
        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = os.environ.get("CONFIG_SQLITE_PATH", "hello").encode()
                self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
                self.wfile.write(body)
        http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
        """);
    return app;
  }

  @Test
  void aLocalNodeRunsOnItsOwnAddressOutlivesTheCommandIsListedAndDestroyedWithItsApps()
      throws Exception {
    Path root = dir.resolve("n1");
    TestNode.Result created =
        ok(
            "create-node",
            "n1",
            "--provider",
            "local",
            "--root",
            root.toString(),
            "--http",
            "127.0.0.11:0",
            "--admin",
            "127.0.0.11:0");
    assertThat(created.stdout())
        .contains("Created the node n1 in " + root)
        .contains("Node n1 is up");

    // The command has exited; the node it started still answers, on the address it was given.
    JsonNode n1 = listed("n1");
    assertThat(n1.path("up").asBoolean()).as(n1.toString()).isTrue();
    assertThat(n1.path("provider").asText()).isEqualTo("local");
    assertThat(n1.path("same_software").asBoolean()).isTrue();
    String front = n1.path("address").asText();
    assertThat(front).startsWith("127.0.0.11:").doesNotEndWith(":0");
    assertThat(n1.path("admin").asText()).startsWith("http://127.0.0.11:");

    ok("update", app("hello").toString(), "hello.test", "--node", "n1", "--yes");
    assertThat(get(front, "hello.test").body()).isEqualTo("hello");
    n1 = listed("n1");
    assertThat(n1.path("apps").toString()).isEqualTo("[\"hello\"]");
    String table = ok("list-nodes").stdout();
    assertThat(table.lines().toList().get(0))
        .startsWith("NAME")
        .contains("PROVIDER")
        .contains("STATE");
    assertThat(table).containsPattern("(?m)^n1 +local +127\\.0\\.0\\.11:\\d+ +\\S+ +up +hello$");

    // Supervised: the node's JVM killed with SIGKILL is started again by itself, and serves again.
    ProcessHandle killed = runningNode(root).orElseThrow();
    assertThat(supervisorOf(root)).isPresent();
    killed.destroyForcibly();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                runningNode(root).filter(p -> !p.equals(killed)).isPresent()
                    && listed("n1").path("up").asBoolean());
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> get(front, "hello.test").body().equals("hello"));
    assertThat(Files.readString(root.resolve("logs/node-console.log")))
        .contains("silver run-node: the node exited with status 137; starting it again in 2 s");

    ProcessHandle node = runningNode(root).orElseThrow();
    List<ProcessHandle> apps = node.descendants().toList();
    assertThat(apps).as("the app's process").isNotEmpty();

    TestNode.Result no = TestNode.run(home, List.of("destroy-node", "n1"), "n\n");
    assertThat(no.exitCode()).isEqualTo(1);
    assertThat(no.stdout()).contains("Nothing was changed.");
    assertThat(node.isAlive()).isTrue();

    TestNode.Result destroyed = ok("destroy-node", "n1", "--yes");
    assertThat(destroyed.stdout()).contains("Node n1 destroyed; its data stays in " + root);
    assertThat(node.isAlive()).as("the node process").isFalse();
    assertThat(apps).noneMatch(ProcessHandle::isAlive);
    assertThat(supervisorOf(root)).as("the supervisor").isEmpty();
    assertThat(root.resolve("software")).doesNotExist();
    assertThat(listed("n1")).isNull();
    assertThat(root.resolve("node.ini")).exists();

    // Created again on the same root: the data stayed, the app comes back with it.
    ok("create-node", "n1", "--provider", "local", "--root", root.toString());
    String again = listed("n1").path("address").asText();
    assertThat(get(again, "hello.test").body()).isEqualTo("hello");
    ok("destroy-node", "n1", "--yes", "--purge");
    assertThat(root).doesNotExist();
    assertThat(runningNode(root)).isEmpty();
  }

  @Test
  void aNodesetUpdateGivesUpOnALocalAppServerThatFailsEachTimeItsSupervisorStartsIt()
      throws Exception {
    Path root = dir.resolve("n6");
    ok(
        "create-node",
        "n6",
        "--provider",
        "local",
        "--root",
        root.toString(),
        "--http",
        "127.0.0.61:0",
        "--admin",
        "127.0.0.61:0");
    Path set = dir.resolve("n6.nodeset");
    Files.writeString(set, "[nodeset]\nname = six\nappservers = n6\n");
    String front = listed("n6").path("address").asText();
    // The node killed and its front's port taken: every start its supervisor makes fails.
    ProcessHandle node = runningNode(root).orElseThrow();
    node.destroyForcibly();
    node.onExit().get();
    TestNode.Result r;
    try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
      taken.bind(
          new java.net.InetSocketAddress(
              "127.0.0.61", Integer.parseInt(front.substring(front.lastIndexOf(':') + 1))));

      r = silver("update", app("hello").toString(), set.toString(), "hello.test", "--yes");
    }

    assertThat(r.exitCode()).isNotZero();
    assertThat(r.output())
        .contains("n6 does not answer but its supervisor is starting it again; waiting")
        .contains("n6 is not coming back: it exits again as its supervisor starts it")
        .contains("is down; nothing was changed");
  }

  @Test
  void cleanNodeListsAndRemovesOnlyWhatNoLocationUses() throws Exception {
    Path root = dir.resolve("c1");
    ok(
        "create-node",
        "c1",
        "--provider",
        "local",
        "--root",
        root.toString(),
        "--http",
        "127.0.0.14:0",
        "--admin",
        "127.0.0.14:0");
    try {
      String front = listed("c1").path("address").asText();
      Path keep = app("keep");
      List<String> kept = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        kept.add(
            TestNode.liveInstance(
                ok("update", keep.toString(), "keep.test", "--node", "c1", "--yes")));
      }
      Path gone = app("gone", "service.sqlite =");
      String goneInstance =
          TestNode.liveInstance(
              ok("update", gone.toString(), "gone.test", "--node", "c1", "--yes"));
      Path database = Path.of(get(front, "gone.test").body());
      assertThat(database).exists();
      ok("deactivate", "gone.test", "--node", "c1");

      TestNode.Result asked = TestNode.run(home, List.of("clean-node", "c1"), "n\n");
      assertThat(asked.exitCode()).as(asked.output()).isEqualTo(1);
      assertThat(asked.stdout())
          .contains("Instances no location uses")
          .contains(kept.get(0))
          .doesNotContain(kept.get(1))
          .doesNotContain(kept.get(2))
          .containsPattern("(?m)^gone +sqlite +sqlite$")
          .contains("Nothing was changed.");
      assertThat(root.resolve("apps/keep/instances/" + kept.get(0))).exists();
      assertThat(database).exists();

      TestNode.Result cleaned = ok("clean-node", "c1", "--yes");
      assertThat(cleaned.stdout()).contains("dropped 1 service(s)");
      assertThat(root.resolve("apps/keep/instances/" + kept.get(0))).doesNotExist();
      assertThat(root.resolve("apps/keep/instances/" + kept.get(1))).exists();
      assertThat(root.resolve("apps/keep/instances/" + kept.get(2))).exists();
      assertThat(root.resolve("apps/gone/instances/" + goneInstance)).doesNotExist();
      assertThat(database).doesNotExist();
      assertThat(get(front, "keep.test").body()).isEqualTo("hello");
      ok("rollback", "keep.test", "--node", "c1", "--yes");
      assertThat(get(front, "keep.test").body()).isEqualTo("hello");

      assertThat(ok("clean-node", "c1").stdout()).contains("Nothing to clean on the node c1");
    } finally {
      ok("destroy-node", "c1", "--yes", "--purge");
    }
  }

  @Test
  void badInputToCreateNodeIsRefusedClearlyAndLeavesNothingBehind() throws Exception {
    TestNode.Result badName =
        silver(
            "create-node",
            "no/slash",
            "--provider",
            "local",
            "--root",
            dir.resolve("x").toString());
    assertThat(badName.exitCode()).isEqualTo(1);
    assertThat(badName.stderr()).contains("'no/slash' is not a node name");

    TestNode.Result badProvider =
        silver("create-node", "a", "--provider", "cloud", "--root", dir.resolve("a").toString());
    assertThat(badProvider.exitCode()).isNotZero();
    assertThat(badProvider.stderr()).contains("--provider").contains("cloud");

    Path first = dir.resolve("first");
    ok(
        "create-node",
        "first",
        "--provider",
        "local",
        "--root",
        first.toString(),
        "--http",
        "127.0.0.12:0",
        "--admin",
        "127.0.0.12:0");
    String taken = listed("first").path("address").asText();
    try {
      TestNode.Result twice =
          silver(
              "create-node", "first", "--provider", "local", "--root", dir.resolve("b").toString());
      assertThat(twice.exitCode()).isEqualTo(1);
      assertThat(twice.stderr()).contains("a node named 'first' is registered already");

      Path second = dir.resolve("second");
      TestNode.Result clash =
          silver(
              "create-node",
              "second",
              "--provider",
              "local",
              "--root",
              second.toString(),
              "--http",
              taken,
              "--admin",
              "127.0.0.12:0");
      assertThat(clash.exitCode()).as(clash.output()).isEqualTo(1);
      assertThat(clash.stderr())
          .contains("the node second stopped before it answered")
          .contains("address is in use")
          .contains("the node was not created");
      assertThat(listed("second")).isNull();
      assertThat(second).doesNotExist();
      assertThat(runningNode(second)).isEmpty();
      assertThat(supervisorOf(second)).as("its supervisor").isEmpty();
    } finally {
      ok("destroy-node", "first", "--yes", "--purge");
    }
  }

  private static int freePort(String address) throws Exception {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(address))) {
      return s.getLocalPort();
    }
  }

  private static List<String> args(List<String> more, String... first) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(more);
    return all;
  }

  @Test
  void anSshNodeIsSetUpOnceRunsSupervisedAndIsDestroyedAndAChangedHostKeyIsRefused()
      throws Exception {
    try (TestSshd sshd = TestSshd.start(dir.resolve("sshd"), "127.0.0.21")) {
      Path root = dir.resolve("remote");
      String front = "127.0.0.21:" + freePort("127.0.0.21");
      String admin = "127.0.0.21:" + freePort("127.0.0.21");
      List<String> create =
          args(
              sshd.options(),
              "create-node",
              "r1",
              "--provider",
              "ssh",
              "--root",
              root.toString(),
              "--http",
              front,
              "--admin",
              admin,
              "--yes");
      TestNode.Result created = TestNode.run(home, create, null);
      assertThat(created.exitCode()).as(created.output()).isZero();
      assertThat(created.stdout())
          .contains("presents the host keys:")
          .contains("Pinned the host keys of [127.0.0.21]:")
          .contains("copied the node software")
          .contains("wrote " + root + "/node.ini and a token for this CLI")
          .contains("Node r1 is up on");
      assertThat(root.resolve("software/silver.jar"))
          .hasSameBinaryContentAs(TestNode.PROJECT.resolve("cli/target/silver.jar"));

      JsonNode r1 = listed("r1");
      assertThat(r1.path("up").asBoolean()).as(r1.toString()).isTrue();
      assertThat(r1.path("provider").asText()).isEqualTo("ssh");
      assertThat(r1.path("same_software").asBoolean()).isTrue();
      assertThat(ok("list-nodes").stdout()).containsPattern("(?m)^r1 +ssh +127\\.0\\.0\\.21:");
      ok("update", app("hello").toString(), "hello.test", "--node", "r1", "--yes");
      assertThat(get(front, "hello.test").body()).isEqualTo("hello");

      // Set up again: every step finds it done, and nothing is touched.
      Path registration = home.resolve(".silverlining/nodes/r1.ini");
      String registered = Files.readString(registration);
      var registeredAt = Files.getLastModifiedTime(registration);
      var jarAt = Files.getLastModifiedTime(root.resolve("software/silver.jar"));
      String tokens = Files.readString(root.resolve("secrets/tokens"));
      ProcessHandle node = runningNode(root).orElseThrow();
      TestNode.Result again = ok("setup-node", "r1");
      assertThat(again.stdout())
          .contains("it was set up already, nothing changed")
          .doesNotContain("copied")
          .doesNotContain("wrote")
          .doesNotContain("started");
      assertThat(Files.readString(registration)).isEqualTo(registered);
      assertThat(Files.getLastModifiedTime(registration)).isEqualTo(registeredAt);
      assertThat(Files.getLastModifiedTime(root.resolve("software/silver.jar"))).isEqualTo(jarAt);
      assertThat(Files.readString(root.resolve("secrets/tokens"))).isEqualTo(tokens);
      assertThat(runningNode(root)).contains(node);

      // Supervised: a node killed with SIGKILL is started again, and serves the app again.
      List<ProcessHandle> apps = node.descendants().toList();
      node.destroyForcibly();
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  runningNode(root).filter(p -> !p.equals(node)).isPresent()
                      && listed("r1").path("up").asBoolean());
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(() -> get(front, "hello.test").body().equals("hello"));
      ProcessHandle restarted = runningNode(root).orElseThrow();
      List<ProcessHandle> everything = new ArrayList<>(restarted.descendants().toList());
      everything.add(restarted);
      everything.addAll(apps);

      TestNode.Result destroyed = ok("destroy-node", "r1", "--yes");
      assertThat(destroyed.stdout())
          .contains("its data stays in " + root)
          .contains("Node r1 destroyed.");
      assertThat(everything).noneMatch(ProcessHandle::isAlive);
      assertThat(supervisorOf(root)).isEmpty();
      assertThat(root.resolve("software")).doesNotExist();
      assertThat(root.resolve("node.ini")).exists();
      assertThat(listed("r1")).isNull();

      // The server comes back with another host key: refused before anything is done.
      sshd.startWithNewHostKey();
      TestNode.Result changed = TestNode.run(home, create, null);
      assertThat(changed.exitCode()).as(changed.output()).isEqualTo(1);
      assertThat(changed.stderr())
          .contains("presented a host key other than the one pinned in")
          .contains("nothing was done")
          .contains("ssh-keygen -R '[127.0.0.21]:");
      assertThat(listed("r1")).isNull();
      assertThat(root.resolve("software")).doesNotExist();
    }
  }

  @Test
  void badSshTargetsAreRefusedClearlyAndRegisterNothing() throws Exception {
    Path root = dir.resolve("remote");
    TestNode.Result noHost =
        silver(
            "create-node", "s", "--provider", "ssh", "--root", root.toString(), "--host", "root@");
    assertThat(noHost.exitCode()).isEqualTo(1);
    assertThat(noHost.stderr()).contains("--host 'root@' is not USER@HOST");

    TestNode.Result missing =
        silver("create-node", "s", "--provider", "ssh", "--root", root.toString());
    assertThat(missing.stderr()).contains("--provider ssh needs --host USER@HOST");

    TestNode.Result nobody =
        silver(
            "create-node",
            "s",
            "--provider",
            "ssh",
            "--root",
            root.toString(),
            "--host",
            "root@127.0.0.22",
            "--ssh-port",
            Integer.toString(freePort("127.0.0.22")),
            "--yes");
    assertThat(nobody.exitCode()).isEqualTo(1);
    assertThat(nobody.stderr())
        .contains("no SSH server answered at 127.0.0.22 port")
        .contains("check --host and --ssh-port");

    try (TestSshd sshd = TestSshd.start(dir.resolve("sshd"), "127.0.0.23")) {
      List<String> options = new ArrayList<>(sshd.options());
      // Not trusted when asked: nothing pinned, nothing registered.
      TestNode.Result untrusted =
          TestNode.run(
              home,
              args(options, "create-node", "s", "--provider", "ssh", "--root", root.toString()),
              "n\n");
      assertThat(untrusted.exitCode()).isEqualTo(1);
      assertThat(untrusted.stdout())
          .contains("presents the host keys:")
          .contains("and trust this server from now on? (y/n)");
      assertThat(untrusted.stderr())
          .contains("the server's host key was not trusted; nothing was done");

      // A key the server does not know.
      Path other = dir.resolve("other-key");
      new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString())
          .start()
          .waitFor();
      options.set(options.indexOf("--identity") + 1, other.toString());
      TestNode.Result refused =
          TestNode.run(
              home,
              args(
                  options,
                  "create-node",
                  "s",
                  "--provider",
                  "ssh",
                  "--root",
                  root.toString(),
                  "--yes"),
              null);
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.stderr()).contains("refused the login").contains("--identity FILE");
    }
    assertThat(listed("s")).isNull();
    assertThat(root).doesNotExist();
  }

  /** The run-node supervisor of the node on {@code root}. */
  static Optional<ProcessHandle> supervisorOf(Path root) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(root + "/software/run-node"))
        .findFirst();
  }

  /** The node process running on {@code root}, found by its command line. */
  static Optional<ProcessHandle> runningNode(Path root) {
    List<ProcessHandle> found = new ArrayList<>();
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains("node start --root " + root))
        .forEach(found::add);
    return found.stream().findFirst();
  }
}

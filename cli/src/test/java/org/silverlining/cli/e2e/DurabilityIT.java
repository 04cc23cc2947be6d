package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * What survives a node going away (DESIGN §8): a graceful restart, a {@code kill -9} with the apps
 * left running, a {@code kill -9} in the middle of a deployment, and one in a restore's switch.
 */
@Execution(ExecutionMode.CONCURRENT) // each test starts a node of its own
class DurabilityIT {

  /** A python app that takes {@link #START_DELAY_SECONDS} to start listening. */
  private static final String SLOW_APP =
      """
      import os, signal, sys, time
      from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

      signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
      time.sleep(%d)

      class Handler(BaseHTTPRequestHandler):
          protocol_version = "HTTP/1.1"

          def do_GET(self):
              body = ("%s " + os.environ["SILVER_INSTANCE_NAME"]).encode()
              self.send_response(200)
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)

          def log_message(self, format, *args):
              pass

      ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
      """;

  private static final int START_DELAY_SECONDS = 5;

  @TempDir Path dir;

  @Test
  void aGracefulRestartServesTheSameInstance() throws Exception {
    try (TestNode node = TestNode.start(dir)) {
      String instance = update(node, node.copyExample("hello-java"));
      assertThat(get(node, "hello.localhost")).isEqualTo("200 Hello from " + instance);
      List<ProcessHandle> apps = node.process().children().toList();

      node.stop();
      assertThat(apps).isNotEmpty().noneMatch(ProcessHandle::isAlive);
      node.startProcess();

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(get(node, "hello.localhost")).isEqualTo("200 Hello from " + instance));
    }
  }

  @Test
  void afterKill9TheSameInstanceServesAgainAndNoOrphanIsLeft() throws Exception {
    try (TestNode node = TestNode.start(dir)) {
      String instance = update(node, node.copyExample("hello-java"));
      assertThat(get(node, "hello.localhost")).isEqualTo("200 Hello from " + instance);

      List<ProcessHandle> left = node.kill9();
      assertThat(left).as("app processes the killed node left").isNotEmpty();
      assertThat(left).allMatch(ProcessHandle::isAlive);
      long t0 = System.nanoTime();
      node.startProcess();
      long started = System.nanoTime();

      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .untilAsserted(
              () ->
                  assertThat(get(node, "hello.localhost")).isEqualTo("200 Hello from " + instance));
      System.out.printf(
          "durability: after kill -9, the node answered its API %d ms after start and served %s"
              + " again %d ms after start%n",
          (started - t0) / 1_000_000, instance, (System.nanoTime() - t0) / 1_000_000);
      for (ProcessHandle p : left) {
        assertThat(ProcessHandle.of(p.pid()).filter(ProcessHandle::isAlive))
            .as("process %d left by the killed node", p.pid())
            .isEmpty();
      }
      try (Stream<Path> lib = Files.list(node.root().resolve("lib"))) {
        assertThat(lib.filter(f -> f.getFileName().toString().endsWith(".so")))
            .as("the SQLite library the killed node copied is replaced, not kept beside")
            .hasSize(1);
      }
    }
  }

  @Test
  void aDeploymentInterruptedByKill9IsMarkedFailedAndRemovedAndTheOldInstanceStillServes()
      throws Exception {
    try (TestNode node = TestNode.start(dir)) {
      Path app = dir.resolve("slow");
      Files.createDirectories(app);
      Files.writeString(
          app.resolve("app.ini"),
          """
          [production]
          app_name = slow
          runtime = command
          runner = python3 app.py
          default_location = slow.localhost
          """);
      Files.writeString(app.resolve("app.py"), SLOW_APP.formatted(START_DELAY_SECONDS, "v1"));
      String old = update(node, app);
      assertThat(get(node, "slow.localhost")).isEqualTo("200 v1 " + old);
      List<Long> oldPids = node.process().children().map(ProcessHandle::pid).toList();
      assertThat(oldPids).hasSize(1);

      Files.writeString(app.resolve("app.py"), SLOW_APP.formatted(START_DELAY_SECONDS, "v2"));
      ProcessBuilder pb =
          new ProcessBuilder(TestNode.SILVER.toString(), "update", app.toString())
              .directory(TestNode.PROJECT.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("interrupted-update.log").toFile());
      pb.environment().put("HOME", node.home().toString());
      Process update = pb.start();
      try {
        // The new instance is in its start stage once its process runs beside the old one.
        ProcessHandle starting =
            await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(
                    () ->
                        node.process().children().filter(p -> !oldPids.contains(p.pid())).findAny(),
                    Optional::isPresent)
                .orElseThrow();
        Path instances = node.root().resolve("apps/slow/instances");
        String interrupted;
        try (var list = Files.list(instances)) {
          interrupted =
              list.map(p -> p.getFileName().toString())
                  .filter(n -> !n.equals(old) && !n.endsWith(".partial"))
                  .findFirst()
                  .orElseThrow();
        }
        Thread.sleep(500);
        assertThat(starting.isAlive()).isTrue();

        List<ProcessHandle> left = node.kill9();
        assertThat(left).extracting(ProcessHandle::pid).contains(starting.pid());
        assertThat(update.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String updateOutput = Files.readString(dir.resolve("interrupted-update.log"));
        assertThat(update.exitValue()).as(updateOutput).isNotZero();
        assertThat(updateOutput)
            .contains("Error: the connection to the node 'test' broke before it finished")
            .doesNotContain("\tat ");
        System.out.println("durability: the interrupted update said:\n" + updateOutput.strip());

        node.startProcess();
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> assertThat(get(node, "slow.localhost")).isEqualTo("200 v1 " + old));
        TestNode.Result q = node.silver("query", "--json");
        assertThat(q.exitCode()).as(q.output()).isZero();
        assertThat(statusOf(q.stdout(), interrupted)).isEqualTo("failed");
        assertThat(statusOf(q.stdout(), old)).isEqualTo("ready");
        assertThat(instances.resolve(interrupted)).doesNotExist();
        assertThat(instances.resolve(interrupted + ".partial")).doesNotExist();
        assertThat(ProcessHandle.of(starting.pid()).filter(ProcessHandle::isAlive)).isEmpty();
      } finally {
        update.destroyForcibly();
      }
    }
  }

  @Test
  void aRestoreInterruptedByKill9DuringItsSwitchPutsTheDataBeforeBackWhenTheNodeStarts()
      throws Exception {
    try (TestNode node = TestNode.start(dir, Map.of("SILVER_TEST_PAUSE_AT", "restore:switch"))) {
      Path app = dir.resolve("kept");
      Files.createDirectories(app);
      Files.writeString(
          app.resolve("app.ini"),
          """
          [production]
          app_name = kept
          runtime = command
          runner = python3 app.py
          default_location = kept.localhost
          service.files =
          """);
      Files.writeString(app.resolve("app.py"), SLOW_APP.formatted(0, "files"));
      update(node, app);
      Path note = filesOf(node).resolve("note.txt");
      Files.writeString(note, "from the backup");
      Path backup = dir.resolve("backup");
      TestNode.Result b = node.silver("backup", "kept.localhost", backup.toString());
      assertThat(b.exitCode()).as(b.output()).isZero();
      Files.writeString(note, "before");

      ProcessBuilder pb =
          new ProcessBuilder(
                  TestNode.SILVER.toString(),
                  "restore",
                  backup.toString(),
                  "kept.localhost",
                  "--yes")
              .directory(TestNode.PROJECT.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("interrupted-restore.log").toFile());
      pb.environment().put("HOME", node.home().toString());
      Process restore = pb.start();
      try {
        Path paused = node.root().resolve("test-paused");
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> Files.exists(paused));
        assertThat(Files.readString(note)).as("switched").isEqualTo("from the backup");
        assertThat(Files.readString(node.root().resolve("backups/kept/restore.json")))
            .contains("\"step\":\"switch\"");

        node.kill9();
        assertThat(restore.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Files.delete(paused);
        node.startProcess();

        assertThat(Files.readString(note)).as("the data before is back").isEqualTo("before");
        assertThat(node.root().resolve("backups/kept/restore.json")).doesNotExist();
        assertThat(Files.readString(node.root().resolve("logs/node.log")))
            .contains("was cut short by a node stop during its switch");
        TestNode.Result list = node.silver("backups", "kept.localhost");
        assertThat(list.exitCode()).as(list.output()).isZero();
        assertThat(list.stdout()).contains("before restore of");
      } finally {
        restore.destroyForcibly();
      }
    }
  }

  /** The folder of the {@code kept} app's {@code service.files}. */
  private static Path filesOf(TestNode node) throws IOException {
    try (Stream<Path> s = Files.walk(node.root().resolve("apps/kept"))) {
      return s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().equals("files"))
          .findFirst()
          .orElseThrow();
    }
  }

  private static String update(TestNode node, Path app) throws Exception {
    return TestNode.liveInstance(node.update(app));
  }

  private static String statusOf(String queryJson, String instance) throws IOException {
    for (JsonNode a : new ObjectMapper().readTree(queryJson).path("apps")) {
      for (JsonNode i : a.path("instances")) {
        if (i.path("name").asText().equals(instance)) {
          return i.path("status").asText();
        }
      }
    }
    return "(not listed)";
  }

  /**
   * {@code "STATUS BODY"} of GET / with {@code Host: host}, over a raw socket: the JDK's HttpClient
   * refuses to set {@code Host}, and TestNode's {@code get} relies on it.
   */
  private static String get(TestNode node, String host) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", node.httpPort()), 5_000);
      s.setSoTimeout(30_000);
      s.getOutputStream()
          .write(
              ("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = new BufferedInputStream(s.getInputStream());
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int end = response.indexOf("\r\n\r\n");
      String head = response.substring(0, end);
      String body = response.substring(end + 4);
      if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
        body = unchunk(body);
      }
      return head.split(" ")[1] + " " + body.strip();
    }
  }

  private static String unchunk(String chunked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (true) {
      int eol = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, eol).split(";")[0].strip(), 16);
      if (size == 0) {
        return out.toString(StandardCharsets.UTF_8);
      }
      byte[] data = chunked.substring(eol + 2, eol + 2 + size).getBytes(StandardCharsets.UTF_8);
      out.write(data, 0, data.length);
      at = eol + 2 + size + 2;
    }
  }
}

package org.silverlining.node.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.core.AppConfig;
import org.silverlining.core.IniFile;
import org.silverlining.node.logs.LogLimits;
import org.silverlining.node.logs.RotatingFile;
import org.silverlining.node.runtime.RuntimeTools;
import org.silverlining.node.state.StateStore;

/** The supervisor with real processes: small Python programs written by each test. */
class SupervisorTest {
  private static final String INSTANCE = "demo.20261126_001";
  private static final Duration QUICKLY = Duration.ofSeconds(10);

  @TempDir Path dir;
  private Path appDir;
  private StateStore state;
  private Supervisor supervisor;
  private final List<InstanceProcesses> started = new CopyOnWriteArrayList<>();
  private final List<Process> strays = new ArrayList<>();

  @BeforeEach
  void open() throws Exception {
    appDir = Files.createDirectories(dir.resolve("app"));
    state = new StateStore(dir.resolve("state.db"));
    supervisor =
        new Supervisor(
            state,
            app -> dir.resolve("logs").resolve(app + ".log"),
            RuntimeTools.standard(dir.resolve("runtime")));
  }

  @AfterEach
  void close() throws Exception {
    started.forEach(supervisor::stop);
    strays.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
    strays.forEach(Process::destroyForcibly);
    supervisor.close();
    state.close();
  }

  /** An app.ini of the command runtime running {@code runner} in the app folder. */
  private static AppConfig command(String runner, String more) {
    return AppConfig.parse(
        IniFile.parse(
            "app.ini",
            "[production]\napp_name = demo\nruntime = command\nrunner = " + runner + "\n" + more),
        false);
  }

  private InstanceProcesses start(AppConfig config) throws IOException {
    AppEnvironment.Facts facts =
        new AppEnvironment.Facts(
            "0.1.0",
            false,
            INSTANCE,
            config,
            "/",
            "",
            dir.resolve("config").toString(),
            dir.resolve("logs").toString(),
            dir.resolve("tmp").toString());
    InstanceProcesses group = supervisor.start(INSTANCE, appDir, config, facts);
    started.add(group);
    return group;
  }

  private void script(String name, String python) throws IOException {
    Files.writeString(appDir.resolve(name), python);
  }

  private String appLog() throws IOException {
    return Files.readString(dir.resolve("logs/demo.log"));
  }

  private static final String LISTEN =
      """
      import os, socket, sys, time
      s = socket.socket()
      s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
      s.bind(("127.0.0.1", int(os.environ["PORT"])))
      s.listen(16)
      """;

  @Test
  void aProcessIsReadyOnceItsPortAcceptsConnections() throws Exception {
    InstanceProcesses group = start(command("python3 -m http.server $PORT --bind 127.0.0.1", ""));

    supervisor.awaitReady(group, QUICKLY);

    AppProcess p = group.processes().get(0);
    assertThat(p.state()).isEqualTo(ProcessState.RUNNING);
    assertThat(p.pid()).isPositive();
    assertThat(p.tag()).isEqualTo(INSTANCE + "#1");
    assertThat(group.pickPort()).isEqualTo(p.port());
    assertThat(state.processes())
        .singleElement()
        .extracting(StateStore.ProcessRecord::pid, StateStore.ProcessRecord::instance)
        .containsExactly(p.pid(), INSTANCE);
  }

  @Test
  void eachProcessHasItsOwnPortAndTheFrontTakesTurns() throws Exception {
    InstanceProcesses group =
        start(command("python3 -m http.server $PORT --bind 127.0.0.1", "processes = 3\n"));
    supervisor.awaitReady(group, QUICKLY);

    Set<Integer> ports =
        group.processes().stream().map(AppProcess::port).collect(Collectors.toSet());
    assertThat(ports).hasSize(3);
    List<Integer> picked = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      picked.add(group.pickPort());
    }
    assertThat(Set.copyOf(picked)).isEqualTo(ports);
  }

  @Test
  void aHealthPathMustAnswerBeforeTheProcessIsReady() throws Exception {
    script(
        "health.py",
        """
        import http.server, os
        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                ok = self.path == "/ping" and self.headers.get("X-Silver-Internal") == "health"
                self.send_response(204 if ok else 500)
                self.end_headers()
        http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
        """);

    InstanceProcesses group = start(command("python3 health.py", "health = /ping\n"));
    supervisor.awaitReady(group, QUICKLY);

    assertThat(group.processes().get(0).state()).isEqualTo(ProcessState.RUNNING);
  }

  @Test
  void aRunningProcessFailingItsHealthCheckHealthFailuresTimesInARowIsRestarted() throws Exception {
    script(
        "sickens.py",
        """
        import http.server, os
        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(500 if os.path.exists("sick") else 204)
                self.end_headers()
        http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
        """);
    InstanceProcesses group =
        start(command("python3 sickens.py", "health = /ping\nhealth_failures = 2\n"));
    supervisor.awaitReady(group, QUICKLY);
    AppProcess p = group.processes().get(0);
    long firstPid = p.pid();
    HealthWatch watch = new HealthWatch(supervisor);

    watch.checkAll(List.of(group));
    Files.writeString(appDir.resolve("sick"), "");
    watch.checkAll(List.of(group));
    assertThat(p.pid()).as("one failed check is not enough").isEqualTo(firstPid);
    Files.delete(appDir.resolve("sick"));
    watch.checkAll(List.of(group));
    Files.writeString(appDir.resolve("sick"), "");
    watch.checkAll(List.of(group));
    assertThat(p.pid()).as("a success in between starts the count again").isEqualTo(firstPid);
    watch.checkAll(List.of(group));

    await().atMost(QUICKLY).until(() -> p.restarts() == 1 && p.pid() > 0 && p.pid() != firstPid);
    assertThat(appLog()).contains("/ping failed 2 checks in a row: restarting the process");
  }

  @Test
  void aProcessSeesOnlyTheEnvironmentTheNodeGivesIt() throws Exception {
    script(
        "env.py",
        LISTEN
            + """
            print("ENV " + ",".join(sorted(os.environ)), flush=True)
            print("PORT=" + os.environ["PORT"] + " APP=" + os.environ["SILVER_APP_NAME"], flush=True)
            time.sleep(60)
            """);

    // The real interpreter, not a version manager's shell shim that adds its own variables.
    InstanceProcesses group = start(command(realPython() + " env.py", "env.greeting = hi\n"));
    supervisor.awaitReady(group, QUICKLY);

    await().atMost(QUICKLY).until(() -> appLog().contains("PORT="));
    String envLine = appLog().lines().filter(l -> l.contains("] ENV ")).findFirst().orElseThrow();
    List<String> names = List.of(envLine.substring(envLine.indexOf("] ENV ") + 6).split(","));
    // LC_CTYPE may be added by Python itself (PEP 538) when the locale is C.
    assertThat(names)
        .filteredOn(n -> !n.equals("LC_CTYPE"))
        .allMatch(
            n ->
                n.startsWith("SILVER_")
                    || Set.of(
                            "PORT",
                            "TEMP",
                            "TMPDIR",
                            "GREETING",
                            "PATH",
                            "LANG",
                            "LC_ALL",
                            "TZ",
                            "HOME",
                            "JAVA_HOME",
                            "USER")
                        .contains(n),
            "only documented names");
    assertThat(names).contains("PORT", "GREETING", "SILVER_INSTANCE_NAME", "TEMP");
    assertThat(appLog())
        .contains("[" + INSTANCE + "#1] PORT=" + group.processes().get(0).port() + " APP=demo");
  }

  @Test
  void aProcessThatExitsIsRestartedAfterABackoffAndRunsAgain() throws Exception {
    script(
        "flaky.py",
        LISTEN
            + """
            if not os.path.exists("crashed-once"):
                open("crashed-once", "w").close()
                time.sleep(0.3)
                print("going down", flush=True)
                sys.exit(3)
            time.sleep(60)
            """);
    InstanceProcesses group = start(command("python3 flaky.py", ""));
    supervisor.awaitReady(group, QUICKLY);
    AppProcess p = group.processes().get(0);
    long firstPid = p.pid();
    List<ProcessState> seen = new CopyOnWriteArrayList<>();

    await()
        .atMost(QUICKLY)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              ProcessState now = p.state();
              if (seen.isEmpty() || seen.get(seen.size() - 1) != now) {
                seen.add(now);
              }
              return p.restarts() == 1 && now == ProcessState.RUNNING;
            });

    assertThat(seen).containsSubsequence(ProcessState.BACKOFF, ProcessState.RUNNING);
    assertThat(p.pid()).isPositive().isNotEqualTo(firstPid);
    assertThat(appLog()).contains("going down").contains("process exited with code 3");
  }

  @Test
  void aProcessThatKeepsCrashingEndsInACrashLoopAndIsNotRestartedAgain() throws Exception {
    // Ready the first time, then every restart dies at once: each counts as a crash in a row.
    script(
        "crashy.py",
        LISTEN
            + """
            if os.path.exists("started-once"):
                print("boom", flush=True)
                sys.exit(3)
            open("started-once", "w").close()
            time.sleep(0.2)
            sys.exit(3)
            """);
    InstanceProcesses group = start(command("python3 crashy.py", ""));
    supervisor.awaitReady(group, QUICKLY);
    AppProcess p = group.processes().get(0);

    // Backoffs of 0.5 + 1 + 2 + 4 s before the fifth crash in a row.
    await().atMost(Duration.ofSeconds(20)).until(() -> p.state() == ProcessState.CRASH_LOOP);

    assertThat(p.restarts()).isEqualTo(Supervisor.CRASH_LOOP_LIMIT - 1);
    // CRASH_LOOP is where the supervisor stops: it schedules no restart on the way into it.
    assertThat(p.pid()).isEqualTo(-1);
    assertThat(appLog()).contains("boom").contains("crash loop");
  }

  @Test
  void awaitReadyFailsAtOnceWithTheLastLinesWhenTheProcessExitsFirst() throws Exception {
    script(
        "broken.py",
        """
        import sys
        for i in range(30):
            print("line", i)
        print("Traceback: cannot connect to the database", flush=True)
        sys.exit(3)
        """);
    InstanceProcesses group = start(command("python3 broken.py", ""));

    assertThatThrownBy(() -> supervisor.awaitReady(group, Duration.ofSeconds(30)))
        .isInstanceOfSatisfying(
            StartFailedException.class,
            e -> {
              assertThat(e.getMessage()).contains(INSTANCE + "#1").contains("exited");
              assertThat(e.logTail()).hasSizeLessThanOrEqualTo(20);
              assertThat(e.logTail()).contains("Traceback: cannot connect to the database");
              assertThat(e.logTail()).doesNotContain("line 0");
            });
    assertThat(group.processes().get(0).state()).isEqualTo(ProcessState.FAILED);
  }

  @Test
  void awaitReadyGivesUpAfterTheTimeoutWhenNothingListens() throws Exception {
    script("silent.py", "import time\ntime.sleep(60)\n");
    InstanceProcesses group = start(command("python3 silent.py", ""));

    assertThatThrownBy(() -> supervisor.awaitReady(group, Duration.ofMillis(700)))
        .isInstanceOf(StartFailedException.class)
        .hasMessageContaining("not ready within");
  }

  @Test
  void aProgramThatCannotBeFoundFailsTheStartNamingIt() {
    assertThatThrownBy(() -> start(command("./no-such-program $PORT", "")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("could not start ./no-such-program");
  }

  @Test
  void stopEndsTheProcessAndItsChildrenAndForgetsThem() throws Exception {
    InstanceProcesses group =
        start(
            command(
                "sh -c \"sleep 300 & exec python3 -m http.server $PORT --bind 127.0.0.1\"", ""));
    supervisor.awaitReady(group, QUICKLY);
    AppProcess p = group.processes().get(0);
    ProcessHandle main = ProcessHandle.of(p.pid()).orElseThrow();
    List<ProcessHandle> children = main.descendants().toList();
    assertThat(children).isNotEmpty();

    supervisor.stop(group);

    assertThat(main.isAlive()).isFalse();
    await().atMost(QUICKLY).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
    assertThat(p.state()).isEqualTo(ProcessState.STOPPED);
    assertThat(p.pid()).isEqualTo(-1);
    assertThat(p.restarts()).isZero();
    assertThat(state.processes()).isEmpty();
  }

  @Test
  void stopLeftoversStopsARecordedProcessThatIsStillRunningWithItsChildren() throws Exception {
    Process leftover = stray("sh", "-c", "sleep 300 & wait");
    await().atMost(QUICKLY).until(() -> leftover.descendants().findAny().isPresent());
    List<ProcessHandle> children = leftover.descendants().toList();
    state.addProcess(leftover.pid(), INSTANCE, startMillis(leftover));

    assertThat(supervisor.stopLeftovers()).isEqualTo(1);

    assertThat(leftover.isAlive()).isFalse();
    await().atMost(QUICKLY).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
    assertThat(state.processes()).isEmpty();
  }

  @Test
  void stopLeftoversSparesAPidWhoseStartTimeDiffers() throws Exception {
    Process unrelated = stray("sleep", "300");
    state.addProcess(unrelated.pid(), INSTANCE, startMillis(unrelated) - 60_000);

    assertThat(supervisor.stopLeftovers()).isZero();

    assertThat(unrelated.isAlive()).isTrue();
    assertThat(state.processes()).isEmpty();
  }

  @Test
  void stopLeftoversForgetsProcessesThatAreGone() throws Exception {
    Process gone = stray("true");
    gone.waitFor();
    state.addProcess(gone.pid(), INSTANCE, Instant.now().toEpochMilli());

    assertThat(supervisor.stopLeftovers()).isZero();
    assertThat(state.processes()).isEmpty();
  }

  private Process stray(String... command) throws IOException {
    Process p = new ProcessBuilder(command).start();
    strays.add(p);
    return p;
  }

  private static long startMillis(Process p) {
    return p.info().startInstant().orElseThrow().toEpochMilli();
  }

  private static String realPython() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)")
            .redirectErrorStream(true)
            .start();
    String path = new String(p.getInputStream().readAllBytes()).strip();
    p.waitFor();
    return path;
  }

  @Test
  void theAppLogRotatesWhileTheProcessGoesOnPrintingAndNoLineIsLost() throws Exception {
    supervisor.close();
    Path log = dir.resolve("rotating/demo.log");
    supervisor =
        new Supervisor(
            state,
            app -> log,
            new LogLimits(16 * 1024, 20),
            RuntimeTools.standard(dir.resolve("runtime")));
    script(
        "print.py",
        """
        import sys, time
        for i in range(3000):
            print("line %04d %s" % (i, "p" * 40), flush=(i % 100 == 0))
        sys.stdout.flush()
        time.sleep(600)
        """);
    start(command("python3 print.py", ""));

    await().atMost(QUICKLY).until(() -> Files.readString(log).contains("] line 2999 "));

    List<String> lines = new ArrayList<>();
    for (int i = 20; i >= 1; i--) {
      Path older = RotatingFile.rotated(log, i);
      if (Files.exists(older)) {
        assertThat(Files.size(older)).isLessThanOrEqualTo(16 * 1024);
        lines.addAll(Files.readAllLines(older));
      }
    }
    lines.addAll(Files.readAllLines(log));
    assertThat(RotatingFile.rotated(log, 5)).exists();
    List<String> printed = lines.stream().filter(l -> l.contains("] line ")).toList();
    assertThat(printed).hasSize(3000);
    for (int i = 0; i < 3000; i++) {
      assertThat(printed.get(i)).contains(String.format("] line %04d ", i));
    }
  }
}

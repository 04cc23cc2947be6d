package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The day-to-day commands against a real node: {@code query}, {@code activate}, {@code deactivate},
 * {@code disable}/{@code enable}, {@code logs}, and {@code init} followed by {@code update}. Each
 * test that changes a location uses one of its own, so the tests stay independent.
 */
class OperationsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @org.junit.jupiter.api.io.TempDir static Path dir;
  static TestNode node;

  /** hello-java deployed twice at ops.test: the first and the live instance. */
  static String first;

  static String second;

  @BeforeAll
  static void startNodeAndDeployHelloJavaTwice() throws Exception {
    node = TestNode.start(dir);
    Path app = node.copyExample("hello-java");
    first = TestNode.liveInstance(node.update(app, "ops.test"));
    second = TestNode.liveInstance(node.update(app, "ops.test"));
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void queryListsLocationsAppsInstancesAndProcesses() throws Exception {
    TestNode.Result r = node.silver("query");

    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout())
        .contains("Node " + TestNode.NAME)
        .containsPattern("ops\\.test\\s+hello\\s+" + Pattern.quote(second) + "\\s+" + first)
        .containsPattern(
            "hello\\s+" + Pattern.quote(second) + "\\s+\\S+\\s+running :\\d+ pid \\d+");
  }

  @Test
  void queryJsonParsesAndNamesTheLiveAndPreviousInstances() throws Exception {
    TestNode.Result r = node.silver("query", "--json");
    assertThat(r.exitCode()).as(r.output()).isZero();
    JsonNode q = JSON.readTree(r.stdout());

    assertThat(q.path("node").asText()).isEqualTo(TestNode.NAME);
    JsonNode location = find(q.path("locations"), "location", "ops.test");
    assertThat(location.path("app").asText()).isEqualTo("hello");
    assertThat(location.path("active").asText()).isEqualTo(second);
    assertThat(location.path("previous").asText()).isEqualTo(first);
    JsonNode live = find(find(q.path("apps"), "name", "hello").path("instances"), "name", second);
    assertThat(live.path("running").asBoolean()).isTrue();
    assertThat(live.path("processes")).hasSize(1);
    assertThat(live.path("processes").get(0).path("state").asText()).isEqualTo("running");
    assertThat(live.path("processes").get(0).path("port").asInt()).isPositive();
  }

  @Test
  void activatePrevSwitchesBackAndActivateByNameSwitchesForward() throws Exception {
    Path app = node.copyExample("hello-python");
    String older = TestNode.liveInstance(node.update(app, "act.test", "--name", "act"));
    String newer = TestNode.liveInstance(node.update(app, "act.test", "--name", "act"));

    TestNode.Result back = node.silver("activate", "act.test", "PREV");
    assertThat(back.exitCode()).as(back.output()).isZero();
    assertThat(back.stdout()).contains(older + " is live at act.test");
    assertThat(get("act.test", "/").body()).contains("instance " + older + "\n");

    TestNode.Result forward = node.silver("activate", "act.test", newer);
    assertThat(forward.exitCode()).as(forward.output()).isZero();
    assertThat(get("act.test", "/").body()).contains("instance " + newer + "\n");
  }

  @Test
  void deactivateLeavesTheHostWithTheNotFoundPage() throws Exception {
    node.update(node.copyExample("static-site"), "gone.test", "--name", "gone");
    assertThat(get("gone.test", "/").statusCode()).isEqualTo(200);

    TestNode.Result r = node.silver("deactivate", "gone.test");

    assertThat(r.exitCode()).as(r.output()).isZero();
    DeployIT.Answer answer = get("gone.test", "/");
    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(answer.body()).contains("No application is deployed at gone.test");
  }

  @Test
  void disableAnswers503WithNoStoreAndEnableServesTheAppAgain() throws Exception {
    node.update(node.copyExample("static-site"), "maint.test", "--name", "maint");

    TestNode.Result off = node.silver("disable", "--by-name", "maint");
    assertThat(off.exitCode()).as(off.output()).isZero();
    DeployIT.Answer disabled = get("maint.test", "/hello.txt");
    assertThat(disabled.statusCode()).isEqualTo(503);
    assertThat(disabled.header("Cache-Control")).hasValue("no-store");
    assertThat(disabled.body()).contains("disabled for maintenance");

    TestNode.Result on = node.silver("enable", "--by-location", "maint.test");
    assertThat(on.exitCode()).as(on.output()).isZero();
    DeployIT.Answer enabled = get("maint.test", "/hello.txt");
    assertThat(enabled.statusCode()).isEqualTo(200);
    assertThat(enabled.body()).isEqualTo("Hello from a static file.\n");
  }

  @Test
  void logsShowsTheLastLinesTheAppPrinted() throws Exception {
    TestNode.Result r = node.silver("logs", "ops.test", "-n", "5");

    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout()).contains("hello listening on 127.0.0.1:");
    assertThat(r.stdout().lines()).hasSizeBetween(1, 5);
  }

  @Test
  void logsFollowPrintsALineWrittenAfterItStarted() throws Exception {
    Path app = node.copyExample("hello-python");
    node.update(app, "follow.test", "--name", "follow");
    ProcessBuilder pb =
        new ProcessBuilder(TestNode.SILVER.toString(), "logs", "follow.test", "-n", "1", "--follow")
            .directory(TestNode.PROJECT.toFile())
            .redirectErrorStream(true);
    pb.environment().putAll(node.env());
    Process follower = pb.start();
    try {
      StringBuffer seen = new StringBuffer();
      Thread reader = new Thread(() -> copy(follower.getInputStream(), seen), "logs-follow");
      reader.setDaemon(true);
      reader.start();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> count(seen, "hello-python listening on") == 1);

      node.update(app, "follow.test", "--name", "follow");

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> count(seen, "hello-python listening on") == 2);
      assertThat(follower.isAlive()).isTrue();
    } finally {
      follower.destroy();
      follower.waitFor();
    }
  }

  @ParameterizedTest(name = "silver init --runtime {0} makes an app that silver update deploys")
  @ValueSource(strings = {"java", "command", "static"})
  void initMakesAnAppThatDeploysAsItIs(String runtime) throws Exception {
    Path app = dir.resolve("new-" + runtime);
    TestNode.Result init = node.silver("init", app.toString(), "--runtime", runtime);
    assertThat(init.exitCode()).as(init.output()).isZero();

    String location = runtime + ".init.test";
    node.update(app, location);

    DeployIT.Answer answer = get(location, "/");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).contains("new-" + runtime);
  }

  @Test
  void helpListsTheCommandsAndUpdateHelpListsItsOptions() throws Exception {
    TestNode.Result help = node.silver("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.output())
        .contains(
            "update",
            "query",
            "activate",
            "deactivate",
            "disable",
            "enable",
            "logs",
            "init",
            "serve",
            "node");

    TestNode.Result update = node.silver("update", "--help");
    assertThat(update.exitCode()).isZero();
    assertThat(update.output()).contains("APP_DIR", "LOCATION", "--name", "--replace", "--node");
  }

  private static DeployIT.Answer get(String host, String path) throws Exception {
    return DeployIT.FrontClient.get(node.httpPort(), host, path);
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode n : array) {
      if (value.equals(n.path(field).asText())) {
        return n;
      }
    }
    throw new AssertionError("no " + field + " = " + value + " in " + array);
  }

  private static int count(CharSequence text, String part) {
    return text.toString().split(Pattern.quote(part), -1).length - 1;
  }

  private static void copy(InputStream in, StringBuffer into) {
    byte[] buf = new byte[4096];
    try {
      for (int n; (n = in.read(buf)) > 0; ) {
        into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // the follower was stopped
    }
  }
}

package org.silverlining.node.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.Node;
import org.silverlining.node.TestApps;

/**
 * A real app that answers once, then exits again at every restart until the supervisor leaves it in
 * a crash loop, watched by a real node that posts alerts to a real local HTTP server.
 */
class CrashLoopAlertTest {

  @TempDir Path dir;
  private Node node;
  private WebhookReceiver hook;

  /** Serves for a few seconds the first time (so the deploy succeeds), then exits at once. */
  private static String crashingApp(Path marker) {
    return """
        import http.server, os, sys, threading, time
        marker = "%s"
        if os.path.exists(marker):
            print("boom", flush=True)
            sys.exit(3)
        open(marker, "w").close()
        server = http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])),
                                                 http.server.SimpleHTTPRequestHandler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        time.sleep(3)
        os._exit(3)
        """
        .formatted(marker);
  }

  private void deployCrashing(String app) throws Exception {
    Path src =
        TestApps.write(
            dir.resolve(app),
            Map.of(
                "app.py",
                crashingApp(dir.resolve(app + ".started")),
                "app.ini",
                TestApps.commandIni(app, "python3 app.py", "")));
    TestApps.deploy(node, app, app + ".test", TestApps.pack(src));
  }

  private long crashLoopAlerts(String app) {
    return hook.posted().stream()
        .filter(a -> a.path("check").asText().equals("crash_loop"))
        .filter(a -> a.path("app").asText().equals(app))
        .count();
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (hook != null) {
      hook.close();
    }
  }

  @Test
  void aCrashLoopSendsExactlyOneAlertToTheWebhook() throws Exception {
    hook = WebhookReceiver.start();
    Path root = dir.resolve("node");
    Files.createDirectories(root);
    node = TestApps.startNode(root);
    node.globalConfig().change(null, "alert_webhook", hook.url(), "t");

    deployCrashing("looping");
    await().atMost(Duration.ofSeconds(40)).until(() -> crashLoopAlerts("looping") >= 1);
    JsonNode alert =
        hook.posted().stream()
            .filter(a -> a.path("check").asText().equals("crash_loop"))
            .findFirst()
            .orElseThrow();
    assertThat(alert.path("state").asText()).isEqualTo("down");
    assertThat(alert.path("node").asText()).isEqualTo("t");
    assertThat(alert.path("detail").asText()).contains("crashed again and again");

    // A second app that falls into its own crash loop later: its alert proves that many more
    // rounds of checks saw the first app still looping, without waiting for a fixed time.
    deployCrashing("later");
    await().atMost(Duration.ofSeconds(40)).until(() -> crashLoopAlerts("later") >= 1);

    assertThat(crashLoopAlerts("looping")).isEqualTo(1);
    assertThat(crashLoopAlerts("later")).isEqualTo(1);
  }
}

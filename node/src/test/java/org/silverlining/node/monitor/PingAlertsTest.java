package org.silverlining.node.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.Node;
import org.silverlining.node.TestApps;

/**
 * A real app whose ping fails and recovers, watched by a real node that posts alerts to a real
 * local HTTP server and e-mails them through a real SMTP server (GreenMail).
 */
class PingAlertsTest {

  static final String APP =
      """
      import http.server, os
      state = {"fail": False}
      class H(http.server.BaseHTTPRequestHandler):
          def log_message(self, *a): pass
          def do_GET(self):
              if self.path == "/toggle":
                  state["fail"] = not state["fail"]
              code = 503 if self.path == "/ping" and state["fail"] else 200
              self.send_response(code)
              self.send_header("Content-Length", "0")
              self.end_headers()
      http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
      """;

  @TempDir static Path dir;
  static Node node;
  static GreenMail mail;
  static WebhookReceiver hook;
  static org.eclipse.jetty.client.HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    http = new org.eclipse.jetty.client.HttpClient();
    http.start();
    mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    mail.start();
    hook = WebhookReceiver.start();
    Path root = dir.resolve("node");
    Files.createDirectories(root);
    Files.writeString(
        root.resolve("node.ini"),
        "[smtp]\nhost = 127.0.0.1\nport = "
            + mail.getSmtp().getPort()
            + "\nfrom = node@example.com\n");
    node = TestApps.startNode(root);
    node.globalConfig().change(null, "alert_webhook", hook.url(), "t");
    node.globalConfig().change(null, "alert_email", "ops@example.com", "t");
    Path app =
        TestApps.write(
            dir.resolve("app"),
            Map.of(
                "app.py",
                APP,
                "app.ini",
                TestApps.commandIni(
                    "pinged", "python3 app.py", "ping = /ping\nping_interval = 1s\n")));
    TestApps.deploy(node, "pinged", "pinged.test", TestApps.pack(app));
  }

  @AfterAll
  static void stop() throws Exception {
    if (http != null) {
      http.stop();
    }
    if (node != null) {
      node.close();
    }
    if (hook != null) {
      hook.close();
    }
    if (mail != null) {
      mail.stop();
    }
  }

  private static void toggle() throws Exception {
    assertThat(
            http.newRequest("127.0.0.1", node.httpPort())
                .path("/toggle")
                .headers(h -> h.put("Host", "pinged.test"))
                .send()
                .getStatus())
        .isEqualTo(200);
  }

  private static long alerts(String state) {
    return hook.posted().stream()
        .filter(a -> a.path("check").asText().equals("ping"))
        .filter(a -> a.path("state").asText().equals(state))
        .count();
  }

  @Test
  void aPingThatFailsAndRecoversSendsOneDownAndOneUpAlertByWebhookAndEmail() throws Exception {
    toggle();
    await().atMost(Duration.ofSeconds(30)).until(() -> alerts("down") == 1);
    JsonNode down =
        hook.posted().stream()
            .filter(a -> a.path("state").asText().equals("down"))
            .findFirst()
            .orElseThrow();
    assertThat(down.path("app").asText()).isEqualTo("pinged");
    assertThat(down.path("location").asText()).isEqualTo("pinged.test");
    assertThat(down.path("detail").asText()).contains("/ping answered 503");
    assertThat(down.path("time").asText()).isNotEmpty();

    toggle();
    await().atMost(Duration.ofSeconds(30)).until(() -> alerts("up") == 1);

    // Many failed checks in between, one alert per change of state.
    assertThat(alerts("down")).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(mail.getReceivedMessages()).hasSize(2));
    MimeMessage first = mail.getReceivedMessages()[0];
    assertThat(first.getSubject()).isEqualTo("[silver t] ping down at pinged.test");
    assertThat(first.getAllRecipients()[0].toString()).isEqualTo("ops@example.com");
    assertThat(mail.getReceivedMessages()[1].getSubject())
        .isEqualTo("[silver t] ping up at pinged.test");
  }
}

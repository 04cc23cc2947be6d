package org.silverlining.node.front;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.core.AppArchive;
import org.silverlining.node.Node;
import org.silverlining.node.NodeSettings;
import org.silverlining.node.deploy.Deployer;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.steps.Progress;

class WebSocketPassThroughTest {
  @TempDir static Path dir;
  static Node node;

  @BeforeAll
  static void deployEchoApp() throws Exception {
    Path app = dir.resolve("ws-echo");
    Files.createDirectories(app);
    for (String f : new String[] {"app.py", "app.ini"}) {
      try (InputStream in =
          WebSocketPassThroughTest.class.getResourceAsStream("/apps/ws-echo/" + f)) {
        Files.write(app.resolve(f), in.readAllBytes());
      }
    }
    NodeSettings.HostPort any = new NodeSettings.HostPort("127.0.0.1", 0);
    node = Node.start(new NodeLayout(dir.resolve("node")), new NodeSettings("t", any, any), false);
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    AppArchive.pack(app, tar);
    node.deployer()
        .deploy(
            new Deployer.Request("ws-echo", "default/chat", false, null, "test"),
            new java.io.ByteArrayInputStream(tar.toByteArray()),
            Progress.NONE);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void aWebSocketUpgradePassesThroughToTheAppBothWays() throws Exception {
    LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    WebSocket ws =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://127.0.0.1:" + node.httpPort() + "/chat/socket"),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    received.add(data.toString());
                    w.request(1);
                    return CompletableFuture.completedFuture(null);
                  }
                })
            .get(20, TimeUnit.SECONDS);
    ws.sendText("one", true).get(5, TimeUnit.SECONDS);
    assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("echo /chat one");
    ws.sendText("two", true).get(5, TimeUnit.SECONDS);
    assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("echo /chat two");
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
  }

  @Test
  void ordinaryRequestsToTheSameAppStillGoThroughTheProxy() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.httpPort() + "/chat/plain"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("plain http /plain");
  }
}

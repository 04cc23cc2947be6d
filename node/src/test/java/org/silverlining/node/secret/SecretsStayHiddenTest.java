package org.silverlining.node.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.Node;
import org.silverlining.node.TestApps;
import org.silverlining.node.admin.Tokens;
import org.silverlining.node.control.ConfigView;

/**
 * The platform secret and secret global values through the management API of a real node with a
 * running app: listed by id only, hidden unless asked for, and absent from the logs and from the
 * app process's environment.
 */
class SecretsStayHiddenTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET_VALUE = "sk-live-7f3a9c1e5b";

  @TempDir static Path dir;
  static Node node;
  static HttpClient http;
  static String token;

  @BeforeAll
  static void startNodeWithAnApp() throws Exception {
    node = TestApps.startNode(dir.resolve("node"));
    token = new Tokens(node.layout().tokensFile()).create("ann");
    TestApps.deploy(
        node,
        "echo",
        "echo.test",
        TestApps.pack(TestApps.echoApp(dir.resolve("echo"), "echo", Map.of())));
    http = new HttpClient();
    http.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (http != null) {
      http.stop();
    }
    if (node != null) {
      node.close();
    }
  }

  private static JsonNode call(String method, String pathQuery, int status) throws Exception {
    Request r =
        http.newRequest("http://127.0.0.1:" + node.adminPort() + "/api/v1/" + pathQuery)
            .method(method)
            .timeout(20, TimeUnit.SECONDS)
            .headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + token));
    ContentResponse c = r.send();
    assertThat(c.getStatus()).as(c.getContentAsString()).isEqualTo(status);
    return JSON.readTree(c.getContentAsString());
  }

  private static List<String> keyMaterial() throws Exception {
    KeyRing ring = KeyRing.parse(Files.readString(node.layout().keyringFile()), "keyring.json");
    List<String> all = new ArrayList<>();
    for (KeyRing.Key k : ring.keys()) {
      all.add(Base64.getEncoder().encodeToString(k.material()));
      all.add(Base64.getUrlEncoder().withoutPadding().encodeToString(k.material()));
      all.add(java.util.HexFormat.of().formatHex(k.material()));
    }
    return all;
  }

  @Test
  void theKeyListNamesIdsAndInstantsButNoKey() throws Exception {
    JsonNode r = call("GET", "secret", 200);

    assertThat(r.path("keys")).isNotEmpty();
    assertThat(r.path("keys").get(0).path("current").asBoolean()).isTrue();
    for (String key : keyMaterial()) {
      assertThat(r.toString()).doesNotContain(key);
    }
  }

  @Test
  void rotateKeepsTheOldKeyForTheGraceAndRefusesABadGraceSayingWhatItTakes() throws Exception {
    String before = call("GET", "secret", 200).path("current").asText();

    JsonNode r = call("POST", "secret/rotate?grace=12h", 200);

    assertThat(r.path("current").asText()).isNotEqualTo(before);
    assertThat(r.path("keys").findValuesAsText("id")).contains(before);
    assertThat(call("POST", "secret/rotate?grace=soon", 400).path("error").asText())
        .contains("e.g. 7d, 12h, 30m, 45s, or 0");
    String appCopy = Files.readString(node.layout().appKeyring("echo"));
    assertThat(KeyRing.parse(appCopy, "app copy").current()).isEqualTo(r.path("current").asText());
  }

  @Test
  void aSecretGlobalValueIsHiddenUnlessAskedForAndNeverLogged() throws Exception {
    call("POST", "global-config?key=PAYMENT_KEY&secret=true&value=" + SECRET_VALUE, 200);
    call("POST", "global-config?key=SUPPORT_EMAIL&value=ops@example.org", 200);

    JsonNode shown = call("GET", "global-config", 200);
    JsonNode asApp = call("GET", "global-config?app=echo", 200);
    JsonNode revealed = call("GET", "global-config?show_secrets=true", 200);

    assertThat(shown.toString()).doesNotContain(SECRET_VALUE).contains("ops@example.org");
    assertThat(shown.path("sections").path("global").path("PAYMENT_KEY").asText())
        .isEqualTo(ConfigView.HIDDEN);
    assertThat(asApp.toString()).doesNotContain(SECRET_VALUE);
    assertThat(revealed.path("sections").path("global").path("PAYMENT_KEY").asText())
        .isEqualTo(SECRET_VALUE);
    assertThat(Files.readString(node.layout().appGlobalConfig("echo")))
        .contains("PAYMENT_KEY = " + SECRET_VALUE);

    // Setting it again without the mark keeps it secret.
    call("POST", "global-config?key=PAYMENT_KEY&value=" + SECRET_VALUE + "2", 200);
    assertThat(call("GET", "global-config", 200).toString()).doesNotContain(SECRET_VALUE);

    // The access log is written in the background: wait for the lines of both secret settings.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Files.readString(node.layout().accessLog())
                        .contains("global-config?key=PAYMENT_KEY&secret=true&value=")
                    && Files.readString(node.layout().accessLog())
                        .contains("global-config?key=PAYMENT_KEY&value="));
    assertThat(Files.readString(node.layout().accessLog()))
        .contains("global-config?key=PAYMENT_KEY")
        .doesNotContain(SECRET_VALUE);
    assertThat(Files.readString(node.layout().nodeLog())).doesNotContain(SECRET_VALUE);
  }

  @Test
  void neitherTheKeysNorSecretValuesAreInTheAppProcesssEnvironmentOrTheNodeLog() throws Exception {
    call("POST", "global-config?key=PAYMENT_KEY&secret=true&value=" + SECRET_VALUE, 200);
    List<Long> pids = new ArrayList<>();
    for (var app : (List<?>) node.status().query().get("apps")) {
      for (var inst : (List<?>) ((Map<?, ?>) app).get("instances")) {
        for (var p : (List<?>) ((Map<?, ?>) inst).get("processes")) {
          pids.add(((Number) ((Map<?, ?>) p).get("pid")).longValue());
        }
      }
    }
    assertThat(pids).isNotEmpty();

    for (long pid : pids) {
      String environ =
          new String(
              Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8);
      assertThat(environ)
          .contains("SILVER_SECRETS_FILE=" + node.layout().appKeyring("echo"))
          .doesNotContain(SECRET_VALUE);
      for (String key : keyMaterial()) {
        assertThat(environ).doesNotContain(key);
      }
    }
    String nodeLog = Files.readString(node.layout().nodeLog());
    for (String key : keyMaterial()) {
      assertThat(nodeLog).doesNotContain(key);
    }
  }
}

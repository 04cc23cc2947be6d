package org.silverlining.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.Node;
import org.silverlining.node.NodeSettings;
import org.silverlining.node.admin.Tokens;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.tls.AdminCertificate;

/** The CLI talks to a real node's management API over TLS only with the pinned certificate. */
class PinnedAdminTest {
  @TempDir static Path dir;
  static Node node;
  static String token;
  static String fingerprint;

  @BeforeAll
  static void start() throws Exception {
    NodeLayout layout = new NodeLayout(dir.resolve("node"));
    layout.create();
    token = new Tokens(layout.tokensFile()).create("test");
    fingerprint = AdminCertificate.ensure(layout.adminCertificate(), "127.0.0.1").fingerprint();
    NodeSettings.HostPort any = new NodeSettings.HostPort("127.0.0.1", 0);
    node = Node.start(layout, new NodeSettings("pinned", any, any).withAdminTls(true), false);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  static NodeRegistry.NodeRef ref(NodeRegistry registry) throws Exception {
    registry.register("pinned", "https://127.0.0.1:" + node.adminPort(), token, null, fingerprint);
    return registry.resolve("pinned");
  }

  @Test
  void theApiAnswersOverTlsWhenTheCertificateIsThePinnedOne() throws Exception {
    NodeRegistry registry = new NodeRegistry(dir.resolve("home1"));
    assertThat(new ApiClient(ref(registry)).get("", Map.of()).path("node").asText())
        .isEqualTo("pinned");
  }

  @Test
  void anotherCertificateIsRefusedNamingBothFingerprintsAndTrustRecordsTheNewOne()
      throws Exception {
    NodeRegistry registry = new NodeRegistry(dir.resolve("home2"));
    ref(registry);
    String other = "sha256:" + "00:".repeat(31) + "00";
    registry.trust("pinned", other);
    NodeRegistry.NodeRef wrong = registry.resolve("pinned");
    assertThat(wrong.token()).isEqualTo(token);
    assertThatThrownBy(() -> new ApiClient(wrong).get("", Map.of()))
        .isInstanceOf(UserException.class)
        .hasMessageContaining(fingerprint)
        .hasMessageContaining(other)
        .hasMessageContaining("silver node trust pinned --fingerprint");
    registry.trust("pinned", fingerprint.toLowerCase().replace(":", "").replace("sha256", ""));
    assertThat(new ApiClient(registry.resolve("pinned")).get("", Map.of()).path("node").asText())
        .isEqualTo("pinned");
  }

  @Test
  void trustingANodeRegisteredBeforeItsApiSpokeTlsReachesItOverTlsAndKeepsTheDefaultNode()
      throws Exception {
    NodeRegistry registry = new NodeRegistry(dir.resolve("home3"));
    registry.register("first", "http://127.0.0.1:1", "t", null);
    java.nio.file.Files.setLastModifiedTime(
        registry.fileOf("first"), java.nio.file.attribute.FileTime.fromMillis(1_000_000));
    registry.register("pinned", "http://127.0.0.1:" + node.adminPort(), token, null);
    registry.trust("pinned", fingerprint);
    assertThat(registry.resolve("pinned").adminUrl()).startsWith("https://");
    assertThat(new ApiClient(registry.resolve("pinned")).get("", Map.of()).path("node").asText())
        .isEqualTo("pinned");
    assertThat(registry.names()).containsExactly("first", "pinned");
  }
}

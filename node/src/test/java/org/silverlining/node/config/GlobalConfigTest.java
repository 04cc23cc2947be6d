package org.silverlining.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.core.AppConfig;
import org.silverlining.core.IniFile;
import org.silverlining.node.layout.NodeLayout;

/** The node's global configuration, its per-app overrides, and the file each app reads. */
class GlobalConfigTest {
  @TempDir Path root;

  @Test
  void anAppSeesTheGlobalValuesWithItsOverridesInAPrivateIniFile() throws Exception {
    NodeLayout layout = new NodeLayout(root);
    try (GlobalConfig g = GlobalConfig.open(layout)) {
      g.change(null, "SUPPORT_EMAIL", "ops@example.org", "admin");
      g.change(null, "API_KEY", "k1", "admin");
      g.change("shop", "API_KEY", "k2", "admin");

      Path file = g.publish("shop");

      assertThat(Files.readString(file))
          .isEqualTo("[global]\nAPI_KEY = k2\nSUPPORT_EMAIL = ops@example.org\n");
      assertThat(Files.getPosixFilePermissions(file))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(g.viewOf("blog")).containsEntry("API_KEY", "k1");
      assertThat(g.revisions()).hasSize(3);
    }
  }

  @Test
  void aValueThatLooksLikeAnIniCommentIsKeptWholeAndKeysKeepTheirCase() throws Exception {
    NodeLayout layout = new NodeLayout(root);
    try (GlobalConfig g = GlobalConfig.open(layout)) {
      g.change(null, "Db_Password", "pa ss #word ;x", "admin");
      g.change(null, "URL", "http://h:80/a=b", "admin");

      assertThat(g.viewOf("shop"))
          .containsEntry("Db_Password", "pa ss #word ;x")
          .containsEntry("URL", "http://h:80/a=b");
    }
  }

  @Test
  void unsetRemovesAKeyAsANewRevisionAndTheFileIsReplaced() throws Exception {
    NodeLayout layout = new NodeLayout(root);
    try (GlobalConfig g = GlobalConfig.open(layout)) {
      g.change(null, "A", "1", "admin");
      Path file = g.publish("blog");
      g.change(null, "A", null, "admin");
      g.publish("blog");

      assertThat(Files.readString(file)).isEqualTo("[global]\n");
      assertThat(g.revisions()).extracting(Revision::message).containsExactly("Unset A", "Set A");
    }
  }

  @Test
  void valuesSurviveReopeningAndBadKeysOrValuesAreRefused() throws Exception {
    NodeLayout layout = new NodeLayout(root);
    try (GlobalConfig g = GlobalConfig.open(layout)) {
      g.change(null, "A", "x = y", "admin");
      assertThatThrownBy(() -> g.change(null, "no spaces", "1", "admin"))
          .isInstanceOf(ConfigRejectedException.class);
      assertThatThrownBy(() -> g.change(null, "B", "two\nlines", "admin"))
          .isInstanceOf(ConfigRejectedException.class);
    }
    try (GlobalConfig g = GlobalConfig.open(layout)) {
      assertThat(g.viewOf("any")).containsExactly(java.util.Map.entry("A", "x = y"));
    }
  }

  @Test
  void theCheckerCommandIsSplitOnWhiteSpaceWithoutAShell() {
    AppConfig c =
        AppConfig.parse(
            IniFile.parse(
                "app.ini",
                "[production]\napp_name = a\nruntime = command\nrunner = x\n"
                    + "config.checker = python3  check.py --strict\n"),
            false);

    assertThat(ConfigChecker.command(c)).containsExactly("python3", "check.py", "--strict");
  }

  @Test
  void aKeyMarkedSecretStaysSecretUntilItIsUnsetEverywhere() throws Exception {
    NodeLayout layout = new NodeLayout(root);
    try (GlobalConfig g = GlobalConfig.open(layout)) {
      g.change(null, "API_KEY", "k1", true, "admin");
      g.change("shop", "API_KEY", "k2", false, "admin");
      g.change(null, "SUPPORT_EMAIL", "ops@example.org", "admin");
      assertThat(g.secretKeys()).containsExactly("API_KEY");

      g.change(null, "API_KEY", null, "admin");
      assertThat(g.secretKeys()).containsExactly("API_KEY");
      g.change("shop", "API_KEY", null, "admin");
      assertThat(g.secretKeys()).isEmpty();
      assertThat(g.revisions().get(4).message()).isEqualTo("Set API_KEY (secret)");
    }
    try (GlobalConfig g = GlobalConfig.open(layout)) {
      g.change(null, "TOKEN", "t", true, "admin");
    }
    try (GlobalConfig g = GlobalConfig.open(layout)) {
      assertThat(g.secretKeys()).containsExactly("TOKEN");
      assertThat(Files.readString(g.publish("shop"))).contains("TOKEN = t");
    }
  }

  @Test
  void theCdnKeysAreCheckedTheSecretKeyIsAlwaysSecretAndAppsSeeNeitherKey() throws Exception {
    try (GlobalConfig g = GlobalConfig.open(new NodeLayout(root))) {
      g.change(null, "cdn", "s3://my-static/site", "admin");
      g.change(null, "cdn_endpoint", "https://s3.example.com", "admin");
      g.change(null, "cdn_access_key", "AKID", "admin");
      g.change(null, "cdn_secret_key", "shh", false, "admin");

      assertThat(g.secretKeys()).containsExactly("cdn_secret_key");
      assertThat(Files.readString(g.publish("shop")))
          .isEqualTo(
              "[global]\ncdn = s3://my-static/site\ncdn_endpoint = https://s3.example.com\n");
      assertThatThrownBy(() -> g.change(null, "cdn", "my-static/site", "admin"))
          .isInstanceOf(ConfigRejectedException.class)
          .hasMessageStartingWith("cdn = 'my-static/site' is not an S3 location");
      assertThatThrownBy(() -> g.change(null, "cdn_endpoint", "s3.example.com", "admin"))
          .isInstanceOf(ConfigRejectedException.class)
          .hasMessageContaining("cdn_endpoint = 's3.example.com' is not a base URL");
    }
  }
}

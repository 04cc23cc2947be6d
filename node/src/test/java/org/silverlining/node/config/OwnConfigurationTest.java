package org.silverlining.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.core.AppConfig;
import org.silverlining.core.IniFile;

/** Returning the configuration to the revision an instance was deployed with. */
class OwnConfigurationTest {
  @TempDir Path tmp;
  private ConfigRevisions revisions;
  private Path instanceDir;

  @BeforeEach
  void open() throws Exception {
    revisions = ConfigRevisions.open(tmp.resolve("config/repo"), tmp.resolve("config/current"));
    instanceDir = Files.createDirectories(tmp.resolve("instances/shop.20261126_001"));
    Files.writeString(
        instanceDir.resolve("check.py"),
        "import os, sys\n"
            + "p = os.path.join(os.environ['SILVER_APP_CONFIG'], 'settings.ini')\n"
            + "sys.exit(1 if os.path.isfile(p) and 'bad' in open(p).read() else 0)\n");
  }

  @AfterEach
  void close() {
    revisions.close();
  }

  private int commit(String settings) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "src");
    Files.writeString(dir.resolve("settings.ini"), settings);
    return revisions.commit(dir, "ann", "").number();
  }

  private static AppConfig app(String more) {
    return AppConfig.parse(
        IniFile.parse(
            "app.ini",
            "[production]\napp_name = shop\nruntime = command\nrunner = x\n" + more + "\n"),
        false);
  }

  private String live() throws Exception {
    return Files.readString(revisions.currentDir().resolve("settings.ini"));
  }

  @Test
  void theOwnRevisionsFilesBecomeTheNewestAsANewRevisionAndUndoBringsTheOtherBack()
      throws Exception {
    int own = commit("colour = blue\n");
    commit("colour = green\n");

    OwnConfiguration.Result r =
        OwnConfiguration.restore(revisions, own, app(""), instanceDir, "shop.20261126_001", "ann");

    assertThat(r.recorded()).isTrue();
    assertThat(r.after()).isEqualTo(3);
    assertThat(live()).isEqualTo("colour = blue\n");
    assertThat(revisions.current().orElseThrow().message())
        .isEqualTo("Return to revision 1 (with shop.20261126_001)");

    OwnConfiguration.undo(revisions, r, "ann");
    assertThat(live()).isEqualTo("colour = green\n");
    assertThat(revisions.revisions()).hasSize(4);
  }

  @Test
  void nothingIsRecordedWhenTheNewestAlreadyHasTheOwnFiles() throws Exception {
    int own = commit("colour = blue\n");
    commit("colour = green\n");
    revisions.revert(own, "ann");

    OwnConfiguration.Result plan = OwnConfiguration.plan(revisions, own);
    OwnConfiguration.Result r =
        OwnConfiguration.restore(revisions, own, app(""), instanceDir, "shop.20261126_001", "ann");

    assertThat(plan.ownFiles()).isTrue();
    assertThat(r.recorded()).isFalse();
    assertThat(revisions.revisions()).hasSize(3);
    assertThat(OwnConfiguration.plan(revisions, 2).ownFiles()).isFalse();
  }

  @Test
  void aReturnTheCheckerRefusesRecordsNothing() throws Exception {
    int own = commit("colour = bad\n");
    commit("colour = green\n");

    assertThatThrownBy(
            () ->
                OwnConfiguration.restore(
                    revisions,
                    own,
                    app("config.checker = python3 check.py"),
                    instanceDir,
                    "shop.20261126_001",
                    "ann"))
        .isInstanceOf(ConfigRejectedException.class);

    assertThat(live()).isEqualTo("colour = green\n");
    assertThat(revisions.revisions()).hasSize(2);
  }

  @Test
  void anInstanceDeployedWithoutConfigurationReturnsToNoneUnlessItIsRequired() throws Exception {
    commit("colour = green\n");

    assertThatThrownBy(
            () ->
                OwnConfiguration.restore(
                    revisions, 0, app("config.required = true"), instanceDir, "shop.1", "ann"))
        .hasMessageContaining("config.required");
    OwnConfiguration.Result r =
        OwnConfiguration.restore(revisions, 0, app(""), instanceDir, "shop.1", "ann");

    assertThat(r.recorded()).isTrue();
    assertThat(revisions.files(r.after())).isEmpty();
  }
}

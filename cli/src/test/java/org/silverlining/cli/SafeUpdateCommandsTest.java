package org.silverlining.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure parts of update, versions, diff and rollback on the CLI side. */
class SafeUpdateCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void versionControlFactsAreReadWithTheseExactCommands() {
    Path dir = Path.of("/src/app");
    assertThat(VcsFacts.gitCommit(dir))
        .containsExactly("git", "-C", "/src/app", "rev-parse", "HEAD");
    assertThat(VcsFacts.gitBranch(dir))
        .containsExactly("git", "-C", "/src/app", "rev-parse", "--abbrev-ref", "HEAD");
    assertThat(VcsFacts.gitStatus(dir))
        .containsExactly("git", "-C", "/src/app", "status", "--porcelain", "--", ".");
    assertThat(VcsFacts.hgId(dir)).containsExactly("hg", "--cwd", "/src/app", "id", "-i");
    assertThat(VcsFacts.hgBranch(dir)).containsExactly("hg", "--cwd", "/src/app", "branch");
  }

  @Test
  void aFolderOutsideAnyRepositoryHasNoFacts(@org.junit.jupiter.api.io.TempDir Path dir) {
    assertThat(VcsFacts.of(dir)).isEmpty();
  }

  @Test
  void diffListsAddedRemovedAndChangedFilesByPath() {
    Map<String, org.silverlining.core.FileDiff.Facts> a =
        Map.of(
            "app.ini", new org.silverlining.core.FileDiff.Facts(10, "aa"),
            "old.txt", new org.silverlining.core.FileDiff.Facts(3, "bb"),
            "same.py", new org.silverlining.core.FileDiff.Facts(7, "cc"));
    Map<String, org.silverlining.core.FileDiff.Facts> b =
        Map.of(
            "app.ini", new org.silverlining.core.FileDiff.Facts(12, "ab"),
            "new.txt", new org.silverlining.core.FileDiff.Facts(5, "dd"),
            "same.py", new org.silverlining.core.FileDiff.Facts(7, "cc"));

    assertThat(DiffCommand.compare(a, b))
        .containsExactly(
            "changed  app.ini (10 -> 12 bytes)", "added    new.txt (5 bytes)", "removed  old.txt");
    assertThat(DiffCommand.compare(b, b)).isEmpty();
  }

  @Test
  void theSoftwareCheckWarnsOnlyWhenBothFingerprintsAreKnownAndDiffer() {
    assertThat(SoftwareCheck.differs("abc", "abd")).isTrue();
    assertThat(SoftwareCheck.differs("abc", "abc")).isFalse();
    assertThat(SoftwareCheck.differs("", "abc")).as("an older node says nothing").isFalse();
    assertThat(SoftwareCheck.differs(null, "abc")).isFalse();
    assertThat(SoftwareCheck.differs("unknown", "abc")).isFalse();
    assertThat(SoftwareCheck.differs("abc", "unknown")).isFalse();
  }

  @Test
  void aLocalNodeIsRestartedFromThisCommandsJar() {
    assertThat(
            LocalNodes.startCommand(
                Path.of("/jdk/bin/java"),
                List.of("-Xmx256m"),
                Path.of("/opt/silver.jar"),
                Path.of("/var/lib/silver")))
        .containsExactly(
            "/jdk/bin/java",
            "-Xmx256m",
            "-jar",
            "/opt/silver.jar",
            "node",
            "start",
            "--root",
            "/var/lib/silver");
  }

  @Test
  void versionsListsSwitchesMadeByHandAmongTheDeploymentsNewestFirst() throws Exception {
    JsonNode answer =
        JSON.readTree(
            "{\"deployments\": ["
                + "{\"instance\": \"a-2\", \"started\": \"2026-11-26T10:00:00Z\"},"
                + "{\"instance\": \"a-1\", \"started\": \"2026-11-26T09:00:00.500Z\"}],"
                + " \"switches\": ["
                + "{\"kind\": \"deactivate\", \"instance\": null, \"replaced\": \"a-1\","
                + " \"at\": \"2026-11-26T11:00:00Z\"},"
                + "{\"kind\": \"rollback\", \"instance\": \"a-1\", \"replaced\": \"a-2\","
                + " \"at\": \"2026-11-26T10:00:00.250Z\"}]}");

    List<JsonNode> timeline = VersionsCommand.timeline(answer, 3);

    assertThat(timeline)
        .extracting(e -> e.path("kind").asText("deployment"))
        .containsExactly("deactivate", "rollback", "deployment");
    assertThat(timeline.get(2).path("instance").asText()).isEqualTo("a-2");
  }

  @Test
  void versionsShowsTheFailingStageAndTheVersionControlFacts() throws Exception {
    assertThat(
            VersionsCommand.outcome(
                JSON.readTree("{\"status\":\"failed\",\"stage\":\"migrate_fetch\"}")))
        .isEqualTo("FAILED at migrate_fetch");
    assertThat(VersionsCommand.outcome(JSON.readTree("{\"status\":\"ok\",\"live\":true}")))
        .isEqualTo("ok, live");
    assertThat(
            VersionsCommand.vcs(
                JSON.readTree(
                    "{\"kind\":\"git\",\"commit\":\"1a2b3c4d5e6f\",\"branch\":\"main\",\"dirty\":true}")))
        .isEqualTo("git 1a2b3c4 main*");
    assertThat(VersionsCommand.vcs(JSON.readTree("{}"))).isEqualTo("-");
    assertThat(VersionsCommand.started("2026-11-26T04:05:06.123Z")).isEqualTo("2026-11-26 04:05");
  }

  @Test
  void aFailedFetchShowsTheEndOfTheAnswerAndACommandTheEndOfItsOutput() {
    assertThat(AppUploader.tailTitle("migrate_fetch")).isEqualTo("The end of its answer");
    assertThat(AppUploader.tailTitle("test_command")).isEqualTo("The end of its output");
    assertThat(AppUploader.tailTitle("start")).isEqualTo("Last lines of the app's output");
  }
}

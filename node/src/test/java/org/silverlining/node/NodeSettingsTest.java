package org.silverlining.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.core.InvalidConfigException;
import org.silverlining.node.logs.LogLimits;
import org.silverlining.node.tasks.SqliteTaskStore;

class NodeSettingsTest {
  @TempDir Path dir;

  @Test
  void theTasksSectionChoosesTheBackendAndIsKeptWhenSaved() throws Exception {
    Path ini = dir.resolve("node.ini");
    Files.writeString(
        ini,
        "[node]\nname = n1\nhttp = :8080\n\n[tasks]\nbackend = redis://:pw@127.0.0.1:6379/2\n");

    NodeSettings s = NodeSettings.load(ini);
    assertThat(s.tasksBackend()).contains("redis://:pw@127.0.0.1:6379/2");

    s.withAdmin(new NodeSettings.HostPort("127.0.0.1", 9000)).save(ini);
    assertThat(NodeSettings.load(ini).tasksBackend()).contains("redis://:pw@127.0.0.1:6379/2");
  }

  @Test
  void withoutTheSectionOrWithSqliteTasksStayInTheStateDb() throws Exception {
    Path ini = dir.resolve("node.ini");
    Files.writeString(ini, "[node]\nname = n1\n");
    assertThat(NodeSettings.load(ini).tasksBackend()).isEmpty();
    Files.writeString(ini, "[node]\nname = n1\n[tasks]\nbackend = sqlite\n");
    assertThat(NodeSettings.load(ini).tasksBackend()).isEmpty();
    assertThat(new NodeSettings("n", NodeSettings.DEFAULT_HTTP, NodeSettings.DEFAULT_ADMIN).tasks())
        .isEmpty();
  }

  @Test
  void theTaskStoreSyncsOnceASecondUnlessToldToSyncEveryChange() throws Exception {
    Path ini = dir.resolve("node.ini");
    Files.writeString(ini, "[node]\nname = n1\n");
    assertThat(NodeSettings.load(ini).tasksSync()).isEqualTo(SqliteTaskStore.Sync.EVERYSEC);
    Files.writeString(ini, "[node]\nname = n1\n[tasks]\nsync = always\n");
    assertThat(NodeSettings.load(ini).tasksSync()).isEqualTo(SqliteTaskStore.Sync.ALWAYS);
  }

  @Test
  void anUnknownSyncIsAnErrorNamingTheFileAndLine() throws Exception {
    Path ini = dir.resolve("node.ini");
    Files.writeString(ini, "[node]\nname = n1\n[tasks]\nsync = sometimes\n");
    assertThatThrownBy(() -> NodeSettings.load(ini))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("node.ini")
        .hasMessageContaining("4")
        .hasMessageContaining("always or everysec");
  }

  @Test
  void sectionsReadElsewhereLikeBackupSurviveASave() throws Exception {
    Path ini = dir.resolve("node.ini");
    Files.writeString(ini, "[node]\nname = n1\n\n[backup]\nschedule = every day 03:00\nkeep = 3\n");

    NodeSettings.load(ini).withHttp(new NodeSettings.HostPort("127.0.0.1", 9001)).save(ini);

    String saved = Files.readString(ini);
    assertThat(saved).contains("[backup]", "schedule = every day 03:00", "keep = 3");
    assertThat(NodeSettings.load(ini).http().port()).isEqualTo(9001);
  }

  @Test
  void theLogsSectionSetsTheSizeAndCountOfLogFilesWithDefaultsFor50MbAnd5() throws Exception {
    Path ini = dir.resolve("node.ini");
    Files.writeString(ini, "[node]\nname = n1\n");
    assertThat(NodeSettings.load(ini).logs()).isEqualTo(new LogLimits(50L << 20, 5));

    Files.writeString(ini, "[node]\nname = n1\n\n[logs]\nmax_size = 1MB\nkeep = 3\n");
    assertThat(NodeSettings.load(ini).logs()).isEqualTo(new LogLimits(1 << 20, 3));
    Files.writeString(ini, "[logs]\nmax_size = 512 kb\n");
    assertThat(NodeSettings.load(ini).logs()).isEqualTo(new LogLimits(512 << 10, 5));

    NodeSettings.load(ini).withHttp(new NodeSettings.HostPort("127.0.0.1", 9000)).save(ini);
    assertThat(NodeSettings.load(ini).logs().maxBytes()).isEqualTo(512 << 10);
  }

  @Test
  void aBadLogsSettingIsAnErrorNamingTheFileLineAndKey() throws Exception {
    Path ini = dir.resolve("node.ini");
    Files.writeString(ini, "[node]\nname = n1\n[logs]\nmax_size = lots\n");
    assertThatThrownBy(() -> NodeSettings.load(ini))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("node.ini")
        .hasMessageContaining("4")
        .hasMessageContaining("max_size");
    Files.writeString(ini, "[node]\nname = n1\n[logs]\nmax_size = 1MB\nkeep = 0\n");
    assertThatThrownBy(() -> NodeSettings.load(ini))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("5")
        .hasMessageContaining("keep must be 1 to 20");
  }

  @Test
  void theDocumentedNodeIniExampleIsValid() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "node.md"));
    int start = doc.indexOf("```ini\n") + "```ini\n".length();
    String section = doc.substring(start, doc.indexOf("```", start));
    Path ini = dir.resolve("node.ini");
    Files.writeString(ini, section);
    assertThat(NodeSettings.load(ini).logs()).isEqualTo(LogLimits.DEFAULT);
  }
}

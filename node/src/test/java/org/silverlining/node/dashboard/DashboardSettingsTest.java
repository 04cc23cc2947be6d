package org.silverlining.node.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.core.InvalidConfigException;

class DashboardSettingsTest {
  @TempDir Path dir;

  @Test
  void defaultsWithoutTheSectionAndSpansWithIt() throws Exception {
    Path ini = dir.resolve("node.ini");
    Files.writeString(ini, "[node]\nname = a\n");
    assertThat(DashboardSettings.load(ini)).isEqualTo(DashboardSettings.DEFAULT);
    Files.writeString(ini, "[dashboard]\nidle_timeout = 10m\nabsolute_timeout = 8h\n");
    assertThat(DashboardSettings.load(ini))
        .isEqualTo(new DashboardSettings(Duration.ofMinutes(10), Duration.ofHours(8)));
  }

  @Test
  void aBadSpanIsRefusedNamingTheFileLineAndKey() throws Exception {
    Path ini = dir.resolve("node.ini");
    Files.writeString(ini, "[dashboard]\n\nidle_timeout = soon\n");
    assertThatThrownBy(() -> DashboardSettings.load(ini))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("node.ini")
        .hasMessageContaining("3")
        .hasMessageContaining("idle_timeout");
    Files.writeString(ini, "[dashboard]\nidle_timeout = 2h\nabsolute_timeout = 1h\n");
    assertThatThrownBy(() -> DashboardSettings.load(ini))
        .hasMessageContaining("longer than absolute_timeout");
  }
}

package org.silverlining.node.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorSettingsCountTest {
  @TempDir Path dir;

  @Test
  void theFrontCountsRequestsUnlessMetricsRequestsIsOff() throws Exception {
    Path ini = dir.resolve("node.ini");
    Files.writeString(ini, "[node]\nname = n\n");
    assertThat(MonitorSettings.load(ini).countRequests()).isTrue();

    Files.writeString(ini, "[metrics]\nrequests = off\n");
    assertThat(MonitorSettings.load(ini).countRequests()).isFalse();
  }
}

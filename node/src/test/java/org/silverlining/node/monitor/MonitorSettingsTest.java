package org.silverlining.node.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.core.InvalidConfigException;

class MonitorSettingsTest {
  @TempDir Path dir;

  @Test
  void metricsAllowNamesNetworksThatMayScrapeWithoutAToken() throws Exception {
    Path ini = dir.resolve("node.ini");
    Files.writeString(ini, "[node]\nname = n\n[metrics]\nallow = 10.1.0.0/16, 127.0.0.1 ::1\n");

    MonitorSettings s = MonitorSettings.load(ini);

    assertThat(s.metricsAllowed(InetAddress.getByName("10.1.200.3"))).isTrue();
    assertThat(s.metricsAllowed(InetAddress.getByName("10.2.0.1"))).isFalse();
    assertThat(s.metricsAllowed(InetAddress.getByName("127.0.0.1"))).isTrue();
    assertThat(s.metricsAllowed(InetAddress.getByName("127.0.0.2"))).isFalse();
    assertThat(s.metricsAllowed(InetAddress.getByName("::1"))).isTrue();
  }

  @Test
  void withoutASectionNothingIsAllowedAndNoMailIsSent() throws Exception {
    Path ini = dir.resolve("node.ini");
    Files.writeString(ini, "[node]\nname = n\n");

    MonitorSettings s = MonitorSettings.load(ini);

    assertThat(s.metricsAllowed(InetAddress.getByName("127.0.0.1"))).isFalse();
    assertThat(s.smtp()).isEmpty();
  }

  @Test
  void aHostNameIsNotANetwork() throws Exception {
    Path ini = dir.resolve("node.ini");
    Files.writeString(ini, "[metrics]\nallow = example.com\n");

    assertThatThrownBy(() -> MonitorSettings.load(ini))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("node.ini:2")
        .hasMessageContaining("'example.com' is not a network");
  }

  @Test
  void smtpSettingsHaveDefaults() throws Exception {
    Path ini = dir.resolve("node.ini");
    Files.writeString(ini, "[smtp]\nhost = mail.example.com\nport = 587\nuser = ann\n");

    MonitorSettings.Smtp smtp = MonitorSettings.load(ini).smtp().orElseThrow();

    assertThat(smtp.host()).isEqualTo("mail.example.com");
    assertThat(smtp.port()).isEqualTo(587);
    assertThat(smtp.starttls()).isTrue();
    assertThat(smtp.from()).isEqualTo("silver@localhost");
  }
}

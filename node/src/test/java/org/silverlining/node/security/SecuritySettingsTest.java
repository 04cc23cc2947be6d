package org.silverlining.node.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.silverlining.core.InvalidConfigException;

class SecuritySettingsTest {
  @TempDir Path dir;

  private SecuritySettings load(String section) throws Exception {
    Path ini = dir.resolve("node.ini");
    Files.writeString(ini, "[node]\nname = n\n[security]\n" + section + "\n");
    return SecuritySettings.load(ini);
  }

  @Test
  void readsAllowBansAndMoreProbes() throws Exception {
    SecuritySettings s =
        load(
            "allow = 10.0.0.0/8, ::1\nban_after = 20/10m\nban_for = 2h\nprobes = /backup.zip /old/");
    assertThat(s.allow()).hasSize(2);
    assertThat(s.banAfter()).isEqualTo(20);
    assertThat(s.banWindow()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.banFor()).isEqualTo(Duration.ofHours(2));
    assertThat(s.probes().match("/backup.zip")).isEqualTo("/backup.zip");
    assertThat(s.probes().match("/old/index.php")).isEqualTo("/old");
    assertThat(s.probes().match("/.env")).isEqualTo("/.env");
  }

  @Test
  void banForDefaultsToAnHourAndNothingIsBannedWithoutBanAfter() throws Exception {
    assertThat(load("ban_after = 5/1m").banFor()).isEqualTo(Duration.ofHours(1));
    assertThat(load("allow = 127.0.0.1").bans()).isFalse();
    assertThat(SecuritySettings.load(dir.resolve("none.ini"))).isEqualTo(SecuritySettings.DEFAULT);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "allow = 10.0.0.0/33|node.ini:4: [security] allow: '10.0.0.0/33' is not a network",
        "allow = intranet.example.com|[security] allow: 'intranet.example.com' is not a network",
        "ban_after = 20|[security] ban_after: '20' is not a count of events in a span of time",
        "ban_after = 0/10m|[security] ban_after: '0/10m' is not a count",
        "ban_after = 20/ten minutes|[security] ban_after: '20/ten minutes' is not a count",
        "ban_after = 20/0s|[security] ban_after: the span of time of '20/0s' is zero",
        "ban_for = 1h|[security] ban_for: ban_for needs ban_after",
        "ban_after = 2/1m\\nban_for = forever|[security] ban_for: 'forever' is not a span of time",
        "ban_after = 2/1m\\nban_for = 0|[security] ban_for: a ban of 0 seconds bans nobody",
        "probes = .env|[security] probes: '.env' is not a probe path",
        "probes = /|[security] probes: '/' is not a probe path",
        "alow = 10.0.0.0/8|[security] alow: unknown key",
      })
  void aBadValueNamesTheFileTheLineAndTheKey(String section, String message) {
    assertThatThrownBy(() -> load(section.replace("\\n", "\n")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("node.ini:")
        .hasMessageContaining(message);
  }
}

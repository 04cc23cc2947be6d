package org.silverlining.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code backup.schedule} and {@code backup.keep}: parsed from app.ini, refused when wrong. */
class BackupSettingsTest {
  private static AppConfig parse(String backupLines) {
    return AppConfig.parse(
        IniFile.parse(
            "app.ini", "[production]\napp_name = blog\nrunner = app.jar\n" + backupLines + "\n"),
        false);
  }

  @Test
  void aScheduleIsReadInUtcWithItsKeep() {
    BackupSettings s =
        BackupSettings.parse(Map.of("schedule", "every day 03:00", "keep", "3")).orElseThrow();
    assertThat(s.keep()).isEqualTo(3);
    assertThat(s.schedule().orElseThrow().next(ZonedDateTime.parse("2026-01-01T04:00:00Z")))
        .isEqualTo(ZonedDateTime.parse("2026-01-02T03:00:00Z"));
  }

  @Test
  void keepDefaultsToSevenAndNeverTurnsSchedulesOff() {
    assertThat(BackupSettings.parse(Map.of("schedule", "@daily")).orElseThrow().keep())
        .isEqualTo(7);
    assertThat(BackupSettings.parse(Map.of("schedule", "never")).orElseThrow().schedule())
        .isEmpty();
    assertThat(BackupSettings.parse(Map.of("keep", "3"))).isEmpty();
  }

  @Test
  void aWrongScheduleStopsTheAppIniWithItsLine() {
    assertThatThrownBy(() -> parse("backup.schedule = every blue moon"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("app.ini:4")
        .hasMessageContaining("backup.schedule 'every blue moon' is not valid")
        .hasMessageContaining("every day 03:00");
  }

  @Test
  void aWrongKeepIsRefused() {
    assertThatThrownBy(() -> parse("backup.schedule = every day 03:00\nbackup.keep = 0"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("app.ini:5")
        .hasMessageContaining("backup.keep must be a whole number of backups, 1 or more");
  }

  @Test
  void anUnknownBackupKeyIsAWarning() {
    assertThat(parse("backup.retain = 3").warnings())
        .singleElement()
        .asString()
        .contains("unknown key 'backup.retain'");
  }
}

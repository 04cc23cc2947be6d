package org.silverlining.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.core.schedule.CronJob;

class CronTableTest {
  private static final String APP_INI =
      """
      [production]
      app_name = demo
      runner = app.jar

      [cron]
      # comments and blank lines are skipped
      /tasks/Cleanup = every day 03:00
      command java -cp app.jar -Dmode=full example.Report = 0 7 * * mon-fri ; weekdays
      /reports?kind=daily = every 2 hours synchronized
      timezone = Europe/Berlin
      """;

  @Test
  void readsUrlAndCommandJobsAsWrittenWithTheirLines() {
    CronTable table = CronTable.parse("app.ini", APP_INI);

    assertThat(table.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(table.jobs())
        .extracting(CronJob::name, CronJob::kind, CronJob::target, CronJob::line)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "/tasks/Cleanup", CronJob.Kind.URL, "/tasks/Cleanup", 7),
            org.assertj.core.groups.Tuple.tuple(
                "command java -cp app.jar -Dmode=full example.Report",
                CronJob.Kind.COMMAND,
                "java -cp app.jar -Dmode=full example.Report",
                8),
            org.assertj.core.groups.Tuple.tuple(
                "/reports?kind=daily", CronJob.Kind.URL, "/reports?kind=daily", 9));
    assertThat(table.jobs().get(1).schedule().text()).isEqualTo("0 7 * * mon-fri");
    assertThat(table.jobs())
        .allSatisfy(j -> assertThat(j.schedule().zone()).isEqualTo(table.zone()));
  }

  @Test
  void theZoneIsUtcUnlessGiven() {
    CronTable table = CronTable.parse("app.ini", "[cron]\n/a = @daily\n");

    assertThat(table.zone()).isEqualTo(ZoneOffset.UTC);
    assertThat(table.jobs()).hasSize(1);
  }

  @Test
  void anAppIniWithoutCronHasAnEmptyTable() {
    assertThat(CronTable.parse("app.ini", "[production]\napp_name = x\n").jobs()).isEmpty();
  }

  @Test
  void loadsAFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("app.ini");
    Files.writeString(file, APP_INI);

    assertThat(CronTable.load(file).jobs()).hasSize(3);
  }

  @Test
  void fromAnIniFileTheKeysAreWhatIniFileKeeps() {
    CronTable table = CronTable.parse(IniFile.parse("app.ini", "[cron]\n/Tasks/X = @hourly\n"));

    assertThat(table.jobs().get(0).name()).isEqualTo("/tasks/x");
  }

  @Test
  void aScheduleThatDoesNotParseNamesTheFileLineJobAndAnExample() {
    assertThatThrownBy(
            () -> CronTable.parse("app.ini", "[cron]\n/a = @daily\n/b = every fortnight\n"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("app.ini:3: [cron] /b: schedule 'every fortnight' is not valid")
        .hasMessageContaining("e.g. every 5 minutes")
        .extracting(e -> ((InvalidConfigException) e).line())
        .isEqualTo(3);
  }

  @Test
  void aKeyThatIsNeitherUrlNorCommandIsRejected() {
    assertThatThrownBy(() -> CronTable.parse("app.ini", "[cron]\ncleanup = every day 03:00\n"))
        .hasMessage(
            "app.ini:2: [cron] 'cleanup' is neither a URL path (starting with /) nor a command"
                + " line; e.g. /tasks/cleanup = every day 03:00 or command bin/report = */5 * * * *");
  }

  @Test
  void aCommandWithoutALineIsRejected() {
    assertThatThrownBy(() -> CronTable.parse("app.ini", "[cron]\ncommand = @daily\n"))
        .hasMessageStartingWith("app.ini:2: [cron] 'command' needs the command line");
  }

  @Test
  void anUnknownTimezoneIsRejected() {
    assertThatThrownBy(() -> CronTable.parse("app.ini", "[cron]\ntimezone = Mars/Olympus\n"))
        .hasMessage(
            "app.ini:2: [cron] timezone 'Mars/Olympus' is not a zoneinfo name;"
                + " e.g. timezone = Europe/Berlin (default UTC)");
  }

  @Test
  void aJobListedTwiceIsRejected() {
    assertThatThrownBy(() -> CronTable.parse("app.ini", "[cron]\n/a = @daily\n/a = @hourly\n"))
        .hasMessageStartingWith("app.ini:3: [cron] lists '/a' twice (also on line 2)");
  }

  @Test
  void aContinuationLineIsRejected() {
    assertThatThrownBy(() -> CronTable.parse("app.ini", "[cron]\n/a = every day\n  03:00\n"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("app.ini:3: [cron] entries fit on one line");
  }

  @Test
  void iniSyntaxErrorsAreReportedAsForAnyIniFile() {
    assertThatThrownBy(() -> CronTable.parse("app.ini", "[cron]\njust words\n"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("app.ini:2: expected 'key = value'");
  }
}

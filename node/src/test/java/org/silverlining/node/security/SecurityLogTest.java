package org.silverlining.node.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.core.Cidr;
import org.silverlining.node.logs.LogLimits;
import org.silverlining.node.logs.RotatingFile;

class SecurityLogTest {
  @TempDir Path dir;

  /** A clock the test moves. */
  static final class HandClock extends Clock {
    Instant now = Instant.parse("2026-12-07T10:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private static SecuritySettings settings(String allow, int after, Duration banFor) {
    return new SecuritySettings(
        Cidr.parseList(allow), Probes.BUILT_IN, after, Duration.ofMinutes(10), banFor);
  }

  private static List<String> lines(Path file, int n) throws Exception {
    await().until(() -> Files.isRegularFile(file) && Files.readAllLines(file).size() >= n);
    return Files.readAllLines(file);
  }

  @Test
  void writesOneJsonObjectALineWithTheClientKindAndUser() throws Exception {
    Path file = dir.resolve("logs/security.log");
    try (SecurityLog log =
        new SecurityLog(file, LogLimits.DEFAULT, SecuritySettings.DEFAULT, Clock.systemUTC())) {
      log.record(
          SecurityEvent.of(SecurityEvent.Kind.BAD_LOGIN, "192.0.2.7", "wrong password")
              .withUser("alice"));
      log.record(SecurityEvent.of(SecurityEvent.Kind.PROBE, "2001:db8::1", "not served"));
    }
    List<String> lines = lines(file, 2);
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertThat(first.get("client").asText()).isEqualTo("192.0.2.7");
    assertThat(first.get("kind").asText()).isEqualTo("bad-login");
    assertThat(first.get("user").asText()).isEqualTo("alice");
    assertThat(first.get("allowed").asBoolean()).isFalse();
    assertThat(Instant.parse(first.get("time").asText())).isNotNull();
    JsonNode second = new ObjectMapper().readTree(lines.get(1));
    assertThat(second.has("user")).isFalse();
    assertThat(second.get("kind").asText()).isEqualTo("probe");
  }

  @Test
  void controlCharactersAndHugeTargetsAreDefused() throws Exception {
    Path file = dir.resolve("security.log");
    try (SecurityLog log =
        new SecurityLog(file, LogLimits.DEFAULT, SecuritySettings.DEFAULT, Clock.systemUTC())) {
      log.record(
          new SecurityEvent(
              Instant.now().toString(),
              "192.0.2.7",
              SecurityEvent.Kind.PROBE,
              "GET",
              "/x\u001b[2J" + "a".repeat(10_000),
              "d\nfake line",
              false,
              "bob\r\n"));
    }
    String line = lines(file, 1).get(0);
    assertThat(line).doesNotContain("\u001b").hasSizeLessThan(1000);
    SecurityEvent e = new ObjectMapper().readValue(line, SecurityEvent.class);
    assertThat(e.target()).startsWith("/x?[2J").endsWith("…");
    assertThat(e.detail()).isEqualTo("d?fake line");
    assertThat(e.user()).isEqualTo("bob??");
  }

  @Test
  void eventsOfAllowedClientsAreMarkedAndNeverBan() throws Exception {
    HandClock clock = new HandClock();
    try (SecurityLog log =
        new SecurityLog(
            dir.resolve("security.log"),
            LogLimits.DEFAULT,
            settings("10.0.0.0/8 ::1", 3, Duration.ofHours(1)),
            clock)) {
      for (int i = 0; i < 10; i++) {
        log.record(SecurityEvent.of(SecurityEvent.Kind.PROBE, "10.1.2.3", "p"));
        log.record(SecurityEvent.of(SecurityEvent.Kind.PROBE, "::1", "p"));
      }
      assertThat(log.banned("10.1.2.3")).isFalse();
      assertThat(log.banned("::1")).isFalse();
      await().until(() -> log.since(Instant.EPOCH).size() == 20);
      assertThat(log.since(Instant.EPOCH)).allMatch(SecurityEvent::allowed);
    }
  }

  @Test
  void aClientWithBanAfterEventsInTheWindowIsBannedForBanForThenFree() throws Exception {
    HandClock clock = new HandClock();
    try (SecurityLog log =
        new SecurityLog(
            dir.resolve("security.log"),
            LogLimits.DEFAULT,
            settings("", 3, Duration.ofMinutes(30)),
            clock)) {
      log.record(SecurityEvent.of(SecurityEvent.Kind.PROBE, "192.0.2.9", "p"));
      log.record(SecurityEvent.of(SecurityEvent.Kind.PROBE, "192.0.2.9", "p"));
      clock.now = clock.now.plus(Duration.ofMinutes(11)); // the first two leave the window
      log.record(SecurityEvent.of(SecurityEvent.Kind.PROBE, "192.0.2.9", "p"));
      assertThat(log.banned("192.0.2.9")).isFalse();
      log.record(SecurityEvent.of(SecurityEvent.Kind.MALFORMED, "192.0.2.9", "p"));
      log.record(SecurityEvent.of(SecurityEvent.Kind.PROBE, "192.0.2.9", "p"));
      assertThat(log.banned("192.0.2.9")).isTrue();
      assertThat(log.banned("192.0.2.10")).isFalse();

      clock.now = clock.now.plus(Duration.ofMinutes(29));
      log.record(SecurityEvent.of(SecurityEvent.Kind.BANNED, "192.0.2.9", "refused"));
      assertThat(log.banned("192.0.2.9")).isTrue();
      clock.now = clock.now.plus(Duration.ofMinutes(1));
      assertThat(log.banned("192.0.2.9")).isFalse();

      await().until(() -> log.since(Instant.EPOCH).size() == 7);
      SecurityEvent ban =
          log.since(Instant.EPOCH).stream()
              .filter(e -> e.kind() == SecurityEvent.Kind.BAN)
              .findFirst()
              .orElseThrow();
      assertThat(ban.client()).isEqualTo("192.0.2.9");
      assertThat(ban.detail()).isEqualTo("3 events within 10m: refused for 30m");
    }
  }

  @Test
  void readsBackRotatedFilesOldestFirstAndGroupsByClientAndKind() throws Exception {
    Path file = dir.resolve("security.log");
    LogLimits small = new LogLimits(LogLimits.MIN_BYTES, 3);
    try (SecurityLog log =
        new SecurityLog(file, small, SecuritySettings.DEFAULT, Clock.systemUTC())) {
      for (int i = 0; i < 20; i++) {
        log.record(SecurityEvent.of(SecurityEvent.Kind.PROBE, "192.0.2.1", "n" + i));
      }
      log.record(SecurityEvent.of(SecurityEvent.Kind.BAD_TOKEN, "192.0.2.2", "last"));
      await().until(() -> Files.readString(file).contains("\"last\""));
      assertThat(RotatingFile.rotated(file, 1)).exists();

      SecurityReport r = log.report(Instant.EPOCH);
      assertThat(r.events().get(r.events().size() - 1).detail()).isEqualTo("last");
      assertThat(r.groups().get(0).client()).isEqualTo("192.0.2.1");
      assertThat(r.groups().get(0).kind()).isEqualTo("probe");
      assertThat(r.groups().get(1).kind()).isEqualTo("bad-token");
      assertThat(r.groups().get(1).count()).isEqualTo(1);
      assertThat(log.report(Instant.now().plusSeconds(60)).total()).isZero();
    }
  }

  @Test
  void linesThatAreNotEventsAreSkipped() throws Exception {
    Path file = dir.resolve("security.log");
    Files.writeString(
        file,
        "# 3 events dropped\n{\"time\":\"nope\"}\n{broken\n"
            + "{\"time\":\"2026-01-01T00:00:00Z\",\"client\":\"192.0.2.1\",\"kind\":\"probe\","
            + "\"method\":\"GET\",\"target\":\"/.env\",\"detail\":\"d\",\"allowed\":false}\n");
    try (SecurityLog log =
        new SecurityLog(file, LogLimits.DEFAULT, SecuritySettings.DEFAULT, Clock.systemUTC())) {
      assertThat(log.since(Instant.EPOCH))
          .extracting(SecurityEvent::target)
          .containsExactly("/.env");
    }
  }

  @Test
  void aProbeRefusedOrNotFoundIsRecordedAndOneServedIsNot() throws Exception {
    Path file = dir.resolve("security.log");
    try (SecurityLog log =
        new SecurityLog(file, LogLimits.DEFAULT, SecuritySettings.DEFAULT, Clock.systemUTC())) {
      ProbeWatch watch = new ProbeWatch(log, null);
      watch.answered("192.0.2.1", "GET", "/.env", 401); // behind a password pack
      watch.answered("192.0.2.1", "GET", "/.git/config", 404);
      watch.answered("192.0.2.1", "GET", "/wp-login.php", 200); // the app serves it
      watch.answered("192.0.2.1", "GET", "/index.html", 404); // not a probe path
      watch.answered("192.0.2.1", "GET", "/.aws/credentials", 403);
      await().until(() -> log.since(Instant.EPOCH).size() >= 3);
      assertThat(log.since(Instant.EPOCH))
          .extracting(SecurityEvent::target)
          .containsExactly("/.env", "/.git/config", "/.aws/credentials");
      assertThat(log.since(Instant.EPOCH).get(0).detail())
          .isEqualTo("not served (401): matches the probe /.env");
    }
  }
}

package org.silverlining.node.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppLogTest {
  @TempDir Path dir;

  @Test
  void eachLineIsTimestampedAndTaggedWithItsSource() throws IOException {
    Path file = dir.resolve("logs/apps/hello/app.log");
    Instant before = Instant.now().minusMillis(1);
    try (AppLog log = new AppLog(file, LogLimits.DEFAULT)) {
      log.write("hello.20261126_001#1", "listening on 8000");
      log.write("hello.20261126_001#2", "ünïcode ✓");
    }

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).endsWith(" [hello.20261126_001#1] listening on 8000");
    assertThat(lines.get(1)).endsWith(" [hello.20261126_001#2] ünïcode ✓");
    Instant stamp = Instant.parse(lines.get(0).substring(0, lines.get(0).indexOf(' ')));
    assertThat(stamp).isBetween(before, Instant.now());
  }

  @Test
  void reopeningAppendsToWhatIsThere() throws IOException {
    Path file = dir.resolve("app.log");
    try (AppLog log = new AppLog(file, new LogLimits(1024, 2))) {
      log.write("a", "first");
    }
    try (AppLog log = new AppLog(file, new LogLimits(1024, 2))) {
      log.write("a", "second");
    }

    assertThat(Files.readAllLines(file)).hasSize(2);
    assertThat(Files.readString(file)).contains("first").contains("second");
  }

  @Test
  void whenTheFileWouldPassMaxBytesItIsRotatedKeepingTheGivenNumberOfOldFiles() throws IOException {
    Path file = dir.resolve("app.log");
    String line = "x".repeat(60); // with time and tag, about 100 bytes a line
    try (AppLog log = new AppLog(file, new LogLimits(1024, 3))) {
      for (int i = 0; i < 100; i++) {
        log.write("p", String.format("%03d %s", i, line));
      }
    }

    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("app.log", "app.log.1", "app.log.2", "app.log.3");
    }
    for (String name : List.of("app.log", "app.log.1", "app.log.2", "app.log.3")) {
      assertThat(Files.size(dir.resolve(name))).as(name).isLessThanOrEqualTo(1024);
    }
    // the newest lines are in app.log, the ones just before them in app.log.1
    assertThat(Files.readString(file)).contains("099 ");
    String current = Files.readAllLines(file).get(0);
    List<String> older = Files.readAllLines(dir.resolve("app.log.1"));
    int firstCurrent = Integer.parseInt(current.split("\\] ")[1].substring(0, 3));
    int lastOlder = Integer.parseInt(older.get(older.size() - 1).split("\\] ")[1].substring(0, 3));
    assertThat(lastOlder).isEqualTo(firstCurrent - 1);
  }

  @Test
  void aRotatedLogStartsAgainFromAnExistingFilesSize() throws IOException {
    Path file = dir.resolve("app.log");
    Files.writeString(file, "y".repeat(974) + "\n");
    try (AppLog log = new AppLog(file, new LogLimits(1024, 1))) {
      log.write("p", "this line does not fit in the 49 bytes left");
    }

    assertThat(Files.readString(dir.resolve("app.log.1"))).startsWith("yyy");
    assertThat(Files.readAllLines(file)).singleElement().asString().contains("does not fit");
  }
}

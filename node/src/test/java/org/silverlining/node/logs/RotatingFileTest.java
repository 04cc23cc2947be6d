package org.silverlining.node.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingFileTest {
  @TempDir Path dir;

  @Test
  void noLineIsLostOrSplitAcrossRotationsAndEachFileStaysUnderTheLimit() throws IOException {
    Path file = dir.resolve("access.log");
    LogLimits limits = new LogLimits(4096, 20);
    try (RotatingFile f = new RotatingFile(file, limits)) {
      for (int i = 0; i < 1000; i++) {
        f.write(String.format("line %04d %s%n", i, "z".repeat(i % 50)));
      }
    }

    List<String> all = new ArrayList<>();
    for (int i = 20; i >= 1; i--) {
      Path older = RotatingFile.rotated(file, i);
      if (Files.exists(older)) {
        assertThat(Files.size(older)).isLessThanOrEqualTo(4096);
        all.addAll(Files.readAllLines(older));
      }
    }
    all.addAll(Files.readAllLines(file));
    assertThat(all).hasSize(1000);
    for (int i = 0; i < 1000; i++) {
      assertThat(all.get(i)).startsWith(String.format("line %04d ", i));
    }
  }

  @Test
  void onlyKeepRotatedFilesStayAndAFileStartedBeforeCountsItsSize() throws IOException {
    Path file = dir.resolve("node.log");
    Files.writeString(file, "x".repeat(2000) + "\n");
    // files of an earlier, larger keep
    for (int i = 1; i <= 6; i++) {
      Files.writeString(RotatingFile.rotated(file, i), "old " + i + "\n");
    }
    try (RotatingFile f = new RotatingFile(file, new LogLimits(2048, 2))) {
      f.write("y".repeat(100) + "\n");
    }

    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("node.log", "node.log.1", "node.log.2");
    }
    assertThat(Files.readString(RotatingFile.rotated(file, 1))).startsWith("xxx");
    assertThat(Files.readString(RotatingFile.rotated(file, 2))).isEqualTo("old 1\n");
    assertThat(Files.readString(file)).startsWith("yyy");
  }

  @Test
  void aLineLargerThanTheLimitIsWrittenWholeToAFileOfItsOwn() throws IOException {
    Path file = dir.resolve("app.log");
    try (RotatingFile f = new RotatingFile(file, new LogLimits(1024, 3))) {
      f.write("short\n");
      f.write("w".repeat(3000) + "\n");
      f.write("after\n");
    }
    assertThat(Files.readString(RotatingFile.rotated(file, 2))).isEqualTo("short\n");
    assertThat(Files.readString(RotatingFile.rotated(file, 1))).hasSize(3001);
    assertThat(Files.readString(file)).isEqualTo("after\n");
  }

  @Test
  void sizesAreReadInUnitsOf1024() {
    assertThat(LogLimits.parseSize("50MB")).isEqualTo(50L * 1024 * 1024);
    assertThat(LogLimits.parseSize(" 2 gb ")).isEqualTo(2L * 1024 * 1024 * 1024);
    assertThat(LogLimits.parseSize("512KB")).isEqualTo(512 * 1024);
    assertThat(LogLimits.parseSize("4096")).isEqualTo(4096);
    assertThat(LogLimits.parseSize("4096B")).isEqualTo(4096);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogLimits.parseSize("-1MB"))
        .hasMessageContaining("'-1MB' is not a size");
  }
}

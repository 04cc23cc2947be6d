package org.silverlining.node.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {
  @TempDir Path dir;

  @Test
  void theLastLinesComeFromTheRotatedFileTooWhenTheCurrentOneHasFewer() throws IOException {
    Path file = dir.resolve("app.log");
    Files.writeString(RotatingFile.rotated(file, 1), lines(0, 50));
    Files.writeString(file, lines(50, 53));

    assertThat(last(file, 5)).containsExactly("l48", "l49", "l50", "l51", "l52");
    assertThat(last(file, 2)).containsExactly("l51", "l52");
    assertThat(last(file, 100)).hasSize(53).startsWith("l0").endsWith("l52");
  }

  @Test
  void aLastLineWithoutNewlineCountsAndLongFilesAreReadFromTheEnd() throws IOException {
    Path file = dir.resolve("app.log");
    Files.writeString(file, lines(0, 20_000) + "partial");
    assertThat(last(file, 3)).containsExactly("l19998", "l19999", "partial");
    assertThat(last(dir.resolve("none.log"), 3)).isEmpty();
  }

  @Test
  void followingGoesOnThroughARotationWithoutLosingALine() throws IOException {
    Path file = dir.resolve("app.log");
    LogLimits limits = new LogLimits(1024, 3);
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    try (RotatingFile log = new RotatingFile(file, limits)) {
      log.write("first\n");
      log.flush();
      LogTail tail = new LogTail(file);
      tail.last(10, seen);
      for (int i = 0; i < 60; i++) {
        log.write(String.format("line %02d %s%n", i, "x".repeat(40)));
        log.flush();
        if (i % 7 == 0) {
          tail.follow(seen); // some calls see a rotation since the last one
        }
      }
      tail.follow(seen);
    }
    assertThat(RotatingFile.rotated(file, 1)).exists();
    List<String> got = seen.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(got).hasSize(61).startsWith("first");
    for (int i = 0; i < 60; i++) {
      assertThat(got.get(i + 1)).startsWith(String.format("line %02d ", i));
    }
  }

  private static List<String> last(Path file, int n) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new LogTail(file).last(n, out);
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private static String lines(int from, int to) {
    StringBuilder b = new StringBuilder();
    IntStream.range(from, to).forEach(i -> b.append('l').append(i).append('\n'));
    return b.toString();
  }
}

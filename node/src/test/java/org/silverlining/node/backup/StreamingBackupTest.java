package org.silverlining.node.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL table several times larger than the heap backs up and restores in a JVM started with
 * {@code -Xmx64m}: only streaming can pass. The size is {@code -Dsilver.backup.streamingMb} (300 by
 * default).
 */
class StreamingBackupTest {
  static final String HEAP = "-Xmx64m";
  static final int MEGABYTES = Integer.getInteger("silver.backup.streamingMb", 300);

  @TempDir Path tmp;

  @BeforeAll
  static void serverAnswers() {
    LiveServers.requirePostgres();
  }

  @Test
  void aTableLargerThanTheHeapBacksUpAndRestoresWithA64MiBHeap() throws Exception {
    Path out = tmp.resolve("out.txt");
    Process p =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    HEAP,
                    "-cp",
                    System.getProperty("java.class.path"),
                    StreamingBackupMain.class.getName(),
                    tmp.toString(),
                    Integer.toString(MEGABYTES)))
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    assertThat(p.waitFor(15, TimeUnit.MINUTES)).as("finished in 15 minutes").isTrue();
    String output = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isZero();

    String[] w =
        output.lines().filter(l -> l.startsWith("rows ")).findFirst().orElseThrow().split(" ");
    long rows = MEGABYTES * 1024L;
    assertThat(Long.parseLong(w[1])).isEqualTo(rows);
    assertThat(Long.parseLong(w[2])).isEqualTo(rows);
    assertThat(Long.parseLong(w[4])).as("data file bytes").isGreaterThan(MEGABYTES * 1_000_000L);
    assertThat(Long.parseLong(w[6])).as("max heap").isLessThanOrEqualTo(64L << 20);
    System.out.println("streaming " + MEGABYTES + " MB: " + output.strip());
  }
}

package org.silverlining.node.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class NodeLoggingTest {
  @TempDir Path dir;

  @Test
  void nodeLogRotatesBySizeKeepingTheGivenNumberOfFiles() throws Exception {
    Path file = dir.resolve("logs/node.log");
    NodeLogging.toFile(file, new LogLimits(4096, 2));
    Logger log = LoggerFactory.getLogger("org.silverlining.node.logs.rotation");
    for (int i = 0; i < 300; i++) {
      log.info("event {} {}", i, "e".repeat(60));
    }
    NodeLogging.toFile(dir.resolve("elsewhere/node.log"), LogLimits.DEFAULT); // closes the file

    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("node.log", "node.log.1", "node.log.2");
    }
    // logback rotates once a file has passed the size: by at most one line
    for (Path p : new Path[] {file, RotatingFile.rotated(file, 1), RotatingFile.rotated(file, 2)}) {
      assertThat(Files.size(p)).as(p.toString()).isLessThan(4096 + 200);
    }
    assertThat(Files.readString(file)).contains("event 299 ");
  }
}

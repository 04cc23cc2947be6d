package org.silverlining.node.backupformat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command's output goes to the file; its error output makes the message, however long. */
class ProcessRunnerTest {
  @TempDir Path tmp;

  @Test
  void theOutputGoesToTheFileAndAFailureSaysWhatTheCommandSaid() throws Exception {
    Path out = tmp.resolve("out.txt");
    ProcessRunner.run(List.of("sh", "-c", "echo rows"), Map.of(), out, tmp);
    assertThat(out).hasContent("rows");

    assertThatThrownBy(
            () ->
                ProcessRunner.run(
                    List.of("sh", "-c", "echo partial; echo 'no such table' >&2; exit 3"),
                    Map.of(),
                    out,
                    tmp))
        .isInstanceOf(BackupException.class)
        .hasMessage("sh failed (exit 3): no such table");
  }

  @Test
  void anErrorOutputLargerThanAPipeNeitherBlocksNorFillsTheMessage() throws Exception {
    // 1 MiB on standard error, more than a pipe holds, then a failure
    List<String> chatty = List.of("sh", "-c", "head -c 1048576 /dev/zero | tr '\\0' x >&2; exit 1");
    assertThatThrownBy(() -> ProcessRunner.run(chatty, Map.of(), tmp.resolve("out"), tmp))
        .isInstanceOf(BackupException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage().length())
                    .isLessThanOrEqualTo(ProcessRunner.MESSAGE_BYTES + 100));
    try (var left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsOnly("out");
    }
  }
}

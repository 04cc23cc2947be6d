package org.silverlining.node.backupformat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopyFileTest {
  @TempDir Path tmp;

  @Test
  void theHeaderNamesTheColumnsAndTheRowsFollowByteForByte() throws Exception {
    Path f = tmp.resolve(CopyFile.fileName("public", "order lines"));
    List<String> columns = List.of("id", "tab\tname", "back\\slash", "ünï\nline");
    byte[] big = ("1\t" + "x".repeat(200_000) + "\t\\N\t\\\\\n").getBytes(StandardCharsets.UTF_8);
    try (CopyFile.Writer w = new CopyFile.Writer(f, columns)) {
      w.row("2\ta\\tb\t\\N\tü\n".getBytes(StandardCharsets.UTF_8));
      w.row(big); // larger than the buffer
      w.row("3\t\t\t\n".getBytes(StandardCharsets.UTF_8));
    }

    assertThat(f.getFileName()).hasToString("public.order%20lines.tsv");
    try (InputStream in = Files.newInputStream(f)) {
      assertThat(CopyFile.readHeader(in, f)).isEqualTo(columns);
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("2\ta\\tb\t\\N\tü\n" + new String(big, StandardCharsets.UTF_8) + "3\t\t\t\n");
    }
  }

  @Test
  void aFileWithoutItsHeaderLineIsRefusedByName() throws Exception {
    Path f = tmp.resolve("public.t.tsv");
    Files.writeString(f, "id\tname");
    try (InputStream in = Files.newInputStream(f)) {
      assertThatThrownBy(() -> CopyFile.readHeader(in, f))
          .hasMessageContaining("public.t.tsv: no header line");
    }
  }

  @Test
  void aTableWithoutColumnsHasAnEmptyHeader() throws Exception {
    Path f = tmp.resolve("public.t.tsv");
    try (CopyFile.Writer w = new CopyFile.Writer(f, List.of())) {
      w.row("\n".getBytes(StandardCharsets.UTF_8));
    }
    try (InputStream in = Files.newInputStream(f)) {
      assertThat(CopyFile.readHeader(in, f)).isEmpty();
      assertThat(in.readAllBytes()).containsExactly('\n');
    }
  }
}

package org.silverlining.node.backupformat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.backup.Backup;
import org.silverlining.node.backup.BackupArchive;

/** The row files, COPY text, table file names and archive safety, without a server. */
class RowFormatTest {
  @TempDir Path tmp;

  @Test
  void copyTextFieldsRoundTripThroughEscapingAndParsing() {
    List<String> fields = Arrays.asList("a\tb\nc\r\\d", null, "", "ünï 😀", "\\N");
    StringBuilder row = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        row.append('\t');
      }
      CopyText.append(row, fields.get(i));
    }
    row.append('\n');
    assertThat(CopyText.parse(row.toString().getBytes(StandardCharsets.UTF_8))).isEqualTo(fields);
  }

  @Test
  void aRowFileHoldsOneRowALineWithTheColumnsFirst() throws Exception {
    Path f = tmp.resolve("t.jsonl");
    try (RowFile.Writer w = new RowFile.Writer(f, List.of("id", "v"))) {
      w.startRow();
      w.value("1");
      w.value("x\ty\nz");
      w.endRow();
      w.startRow();
      w.value("2");
      w.value(null);
      w.endRow();
    }
    assertThat(Files.readString(f))
        .isEqualTo("{\"columns\":[\"id\",\"v\"]}\n[\"1\",\"x\\ty\\nz\"]\n[\"2\",null]\n");
    try (RowFile.Reader r = new RowFile.Reader(f)) {
      assertThat(r.columns()).containsExactly("id", "v");
      assertThat(r.nextRow()).isTrue();
      assertThat(r.stringRow()).containsExactly("1", "x\ty\nz");
      assertThat(r.nextRow()).isTrue();
      assertThat(r.stringRow()).containsExactly("2", null);
      assertThat(r.nextRow()).isFalse();
    }
  }

  @Test
  void tableFileNamesAreSafeDistinctAndReversible() {
    assertThat(RowFile.fileName("public", "order.lines/ü"))
        .isEqualTo("public.order%2Elines%2F%C3%BC.jsonl");
    assertThat(RowFile.decode("order%2Elines%2F%C3%BC")).isEqualTo("order.lines/ü");
  }

  @Test
  void sqliteRealsAlwaysReadBackAsReals() {
    assertThat(SqliteBackup.real(1.0)).isEqualTo("1.0");
    assertThat(SqliteBackup.real(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    assertThat(SqliteBackup.real(Double.NEGATIVE_INFINITY)).isEqualTo("-1e999");
    assertThat(Double.parseDouble("1e999")).isInfinite();
  }

  @Test
  void anArchiveEntryOutsideTheBackupIsRefused() throws Exception {
    Path archive = oneEntryArchive("evil.tar.gz", "../escaped");
    Files.createDirectories(tmp.resolve("into"));
    assertThatThrownBy(() -> BackupArchive.unpack(archive, tmp.resolve("into")))
        .hasMessageContaining("outside the backup");
    assertThat(tmp.resolve("escaped")).doesNotExist();
    assertThat(Backup.verify(archive)).singleElement().asString().contains("outside the backup");
  }

  @Test
  void anArchiveEntryWithoutANameIsDamage() throws Exception {
    Path archive = oneEntryArchive("nameless.tar.gz", "");
    Files.createDirectories(tmp.resolve("into"));
    assertThatThrownBy(() -> BackupArchive.unpack(archive, tmp.resolve("into")))
        .hasMessageContaining("is damaged (an entry without a name)");
    assertThat(Backup.verify(archive)).singleElement().asString().contains("damaged");
  }

  /** A .tar.gz at {@code name} holding one one-byte file named {@code entry}, as given. */
  private Path oneEntryArchive(String name, String entry) throws Exception {
    Path archive = tmp.resolve(name);
    try (OutputStream out = Files.newOutputStream(archive);
        GzipCompressorOutputStream z = new GzipCompressorOutputStream(out);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(z)) {
      TarArchiveEntry e = new TarArchiveEntry(entry);
      e.setSize(1);
      tar.putArchiveEntry(e);
      tar.write('x');
      tar.closeArchiveEntry();
    }
    return archive;
  }
}

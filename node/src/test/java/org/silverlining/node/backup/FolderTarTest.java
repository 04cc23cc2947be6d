package org.silverlining.node.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tar of a backup folder: its length known in advance, readable by a standard tar reader. */
class FolderTarTest {
  @TempDir Path tmp;

  private Path folder() throws IOException {
    Path dir = tmp.resolve("b");
    Files.createDirectories(dir.resolve("postgresql/data"));
    Files.writeString(dir.resolve("manifest.json"), "{}\n");
    Files.write(dir.resolve("postgresql/data/public.item.jsonl"), bytes(3 * 512 + 17));
    Files.write(dir.resolve("postgresql/empty"), new byte[0]);
    Files.write(dir.resolve("postgresql/whole"), bytes(1024));
    Path run = Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\n");
    run.toFile().setExecutable(true);
    return dir;
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  @Test
  void itsLengthIsKnownBeforeItIsWritten() throws Exception {
    Path dir = folder();
    Files.createDirectories(dir.resolve("files/" + "long-name-".repeat(15)));
    Files.writeString(dir.resolve("files/" + "long-name-".repeat(15) + "/ünïcode.txt"), "x");
    FolderTar tar = FolderTar.of(dir);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    tar.writeTo(out);
    assertThat(out.size()).isEqualTo(tar.length());
    assertThat(tar.length() % 512).isZero();
  }

  @Test
  void aFolderOfShortAsciiNamesGivesTheBytesOfTheLibrarysTarWriter() throws Exception {
    Path dir = folder();
    ByteArrayOutputStream ours = new ByteArrayOutputStream();
    FolderTar.of(dir).writeTo(ours);
    assertThat(ours.toByteArray()).isEqualTo(libraryTar(dir));
  }

  @Test
  void longAndNonAsciiNamesAndEveryByteComeBackThroughAStandardReader() throws Exception {
    Path dir = folder();
    String deep = "files/" + "a-rather-long-folder-name/".repeat(6);
    Files.createDirectories(dir.resolve(deep));
    Files.write(dir.resolve(deep + "été 😀.bin"), bytes(5000));
    Files.writeString(dir.resolve("files/naïve"), "accent");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FolderTar.of(dir).writeTo(out);

    Map<String, byte[]> read = new LinkedHashMap<>();
    try (TarArchiveInputStream in =
        new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()), "US-ASCII")) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        read.put(e.getName(), in.readAllBytes());
        assertThat(e.getLastModifiedTime()).isEqualTo(FileTime.fromMillis(0));
        if (e.getName().equals("run.sh")) {
          assertThat(e.getMode() & 0777).isEqualTo(0755);
        }
      }
    }
    List<String> expected = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(p -> !p.equals(dir))
          .sorted()
          .forEach(
              p -> expected.add(Manifest.relative(dir, p) + (Files.isDirectory(p) ? "/" : "")));
    }
    assertThat(read.keySet()).containsExactlyElementsOf(expected);
    assertThat(read.get(deep + "été 😀.bin")).isEqualTo(bytes(5000));
    assertThat(new String(read.get("files/naïve"), StandardCharsets.UTF_8)).isEqualTo("accent");
  }

  @Test
  void aFileThatChangedAfterTheListingIsRefused() throws Exception {
    Path dir = folder();
    FolderTar tar = FolderTar.of(dir);
    Files.writeString(dir.resolve("manifest.json"), "{\"more\": true}\n");
    assertThatThrownBy(() -> tar.writeTo(OutputStream.nullOutputStream()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("manifest.json changed while it was being packed");
  }

  @Test
  void aPaxRecordCountsItsOwnLengthAcrossEveryChangeOfDigits() {
    assertThat(FolderTar.paxRecord("path", "abc")).isEqualTo("12 path=abc\n");
    for (int n = 0; n < 1200; n++) {
      String r = FolderTar.paxRecord("path", "é".repeat(n % 2) + "v".repeat(n));
      assertThat(r.getBytes(StandardCharsets.UTF_8)).hasSize(Integer.parseInt(r.split(" ")[0]));
    }
  }

  /** The folder as Commons Compress's own tar writer packs it, entry by entry. */
  private static byte[] libraryTar(Path dir) throws IOException {
    List<Path> all;
    try (Stream<Path> s = Files.walk(dir)) {
      all = s.filter(p -> !p.equals(dir)).sorted().toList();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8")) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Path p : all) {
        boolean folder = Files.isDirectory(p);
        TarArchiveEntry e = new TarArchiveEntry(Manifest.relative(dir, p) + (folder ? "/" : ""));
        e.setModTime(FileTime.fromMillis(0));
        e.setIds(0, 0);
        e.setNames("", "");
        e.setMode(folder || Files.isExecutable(p) ? 0755 : 0644);
        if (!folder) {
          e.setSize(Files.size(p));
        }
        tar.putArchiveEntry(e);
        if (!folder) {
          Files.copy(p, tar);
        }
        tar.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }
}

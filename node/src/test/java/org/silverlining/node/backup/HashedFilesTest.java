package org.silverlining.node.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.backupformat.HashedFiles;

/** Sums taken while a backup writes its files stand for reading them again, and only then. */
class HashedFilesTest {
  @TempDir Path dir;

  @Test
  void aFileWrittenWhileRecordingHasTheSumOfItsBytesUntilItChanges() throws Exception {
    Path a = dir.resolve("a.jsonl");
    Path b = dir.resolve("b.jsonl");
    try (HashedFiles hashed = HashedFiles.record()) {
      try (OutputStream out = HashedFiles.create(a, 16)) {
        out.write("one row\n".repeat(1000).getBytes());
        out.write('x');
      }
      try (OutputStream out = HashedFiles.create(b, 16)) {
        out.write("first".getBytes());
      }
      Files.writeString(b, "rewritten by another program");

      assertThat(hashed.sha256(a, Files.size(a))).isEqualTo(Manifest.sha256(a));
      assertThat(hashed.sha256(b, Files.size(b))).isNull();
      assertThat(Manifest.checksums(dir, hashed, rel -> true)).isEqualTo(Manifest.checksums(dir));
    }
    try (OutputStream out = HashedFiles.create(dir.resolve("c"), 16)) {
      out.write(1);
    }
    try (HashedFiles later = HashedFiles.record()) {
      assertThat(later.sha256(dir.resolve("c"), 1)).as("written while not recording").isNull();
    }
  }

  @Test
  void aLiveSinkGetsEachFileAsItIsWrittenOneAtATime() throws Exception {
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    java.util.List<String> events = new java.util.ArrayList<>();
    HashedFiles.Live live =
        new HashedFiles.Live() {
          boolean open;

          @Override
          public boolean start(Path file) {
            if (open) {
              return false;
            }
            open = true;
            events.add("start " + file.getFileName());
            return true;
          }

          @Override
          public void write(byte[] b, int off, int len) {
            got.write(b, off, len);
          }

          @Override
          public void end(Path file) {
            open = false;
            events.add("end " + file.getFileName());
          }
        };
    try (HashedFiles hashed = HashedFiles.record(live);
        OutputStream a = HashedFiles.create(dir.resolve("a"), 16)) {
      a.write("rows of a".getBytes());
      try (OutputStream b = HashedFiles.create(dir.resolve("b"), 16)) {
        b.write("b is sent later".getBytes());
      }
      a.write('!');
    }
    assertThat(events).containsExactly("start a", "end a");
    assertThat(got.toString()).isEqualTo("rows of a!");
    assertThat(Files.readString(dir.resolve("a"))).isEqualTo("rows of a!");
  }
}

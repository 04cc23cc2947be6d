package org.silverlining.node.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
      assertThat(Manifest.checksums(dir, hashed)).isEqualTo(Manifest.checksums(dir));
    }
    try (OutputStream out = HashedFiles.create(dir.resolve("c"), 16)) {
      out.write(1);
    }
    try (HashedFiles later = HashedFiles.record()) {
      assertThat(later.sha256(dir.resolve("c"), 1)).as("written while not recording").isNull();
    }
  }
}

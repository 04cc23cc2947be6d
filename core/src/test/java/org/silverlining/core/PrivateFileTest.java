package org.silverlining.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFileTest {
  @TempDir Path dir;

  @Test
  void aReplacedFileHoldsTheNewTextOnlyItsOwnerMayReadAndNoTemporaryFileIsLeft() throws Exception {
    Path file = dir.resolve("sub/secret.ini");

    PrivateFile.replace(file, "old\n");
    PrivateFile.replace(file, "new ✓\n");

    assertThat(Files.readString(file)).isEqualTo("new ✓\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    try (var names = Files.list(file.getParent())) {
      assertThat(names).containsExactly(file);
    }
  }

  @Test
  void aFileOthersCouldReadBecomesPrivateWhenReplaced() throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "open\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    PrivateFile.replace(file, "closed\n");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void appendingMakesAPrivateFileAndAddsToItsEnd() throws Exception {
    Path file = dir.resolve("admin/tokens");

    PrivateFile.append(file, "a 1\n");
    PrivateFile.append(file, "b 2\n");

    assertThat(Files.readString(file)).isEqualTo("a 1\nb 2\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }
}

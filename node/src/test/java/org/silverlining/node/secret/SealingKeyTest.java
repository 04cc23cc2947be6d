package org.silverlining.node.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealingKeyTest {
  @TempDir Path dir;

  @Test
  void sealedTextOpensWithTheSameKeyAndPurposeOnly() throws Exception {
    Path file = dir.resolve("secrets/sealing.key");
    SealingKey key = SealingKey.open(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    String sealed = key.seal("secret".getBytes(), "totp:ada");
    assertThat(sealed).startsWith("v1:").doesNotContain("secret");
    assertThat(SealingKey.open(file).open(sealed, "totp:ada")).isEqualTo("secret".getBytes());
    assertThatThrownBy(() -> key.open(sealed, "totp:bob"))
        .isInstanceOf(GeneralSecurityException.class);
    Path other = dir.resolve("other.key");
    assertThatThrownBy(() -> SealingKey.open(other).open(sealed, "totp:ada"))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void aDamagedKeyFileIsRefusedNamingIt() throws Exception {
    Path file = dir.resolve("bad.key");
    Files.writeString(file, "not base64!");
    assertThatThrownBy(() -> SealingKey.open(file)).hasMessageContaining(file.toString());
  }
}

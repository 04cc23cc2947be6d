package org.silverlining.node.secret;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHashTest {
  @Test
  void aHashVerifiesItsPasswordOnlyAndSaltsEachTime() {
    String stored = PasswordHash.hash("correct horse".toCharArray());
    assertThat(stored).startsWith("pbkdf2-sha256$600000$").doesNotContain("correct horse");
    assertThat(PasswordHash.verify("correct horse".toCharArray(), stored)).isTrue();
    assertThat(PasswordHash.verify("correct horsf".toCharArray(), stored)).isFalse();
    assertThat(PasswordHash.hash("correct horse".toCharArray())).isNotEqualTo(stored);
  }

  @Test
  void noStoredHashIsFalseAfterTheSameWork() {
    assertThat(PasswordHash.verify("no one's password".toCharArray(), null)).isFalse();
  }

  @Test
  void aHashKeepsItsOwnIterationCount() throws Exception {
    byte[] salt = "0123456789abcdef".getBytes();
    byte[] hash =
        javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
            .generateSecret(new javax.crypto.spec.PBEKeySpec("pw".toCharArray(), salt, 1000, 256))
            .getEncoded();
    java.util.Base64.Encoder b64 = java.util.Base64.getEncoder().withoutPadding();
    String older =
        "pbkdf2-sha256$1000$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    assertThat(PasswordHash.verify("pw".toCharArray(), older)).isTrue();
    assertThat(PasswordHash.verify("pw!".toCharArray(), older)).isFalse();
  }
}

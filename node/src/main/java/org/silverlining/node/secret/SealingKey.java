package org.silverlining.node.secret;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.silverlining.core.PrivateFile;

/**
 * A node-local AES-256-GCM key in a file of its own (mode 600) that seals small secrets the node
 * must read back, such as admin users' TOTP secrets, before they go into {@code state.db}: a copy
 * of the database alone reveals none of them. Sealed text is {@code v1:BASE64(nonce | ciphertext)};
 * {@code purpose} is bound as associated data, so a value sealed for one purpose (or one user) does
 * not open for another.
 */
public final class SealingKey {
  private static final String PREFIX = "v1:";
  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  private SealingKey(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /** The key in {@code file}, made (mode 600) when there is none yet. */
  public static synchronized SealingKey open(Path file) throws IOException {
    if (!Files.exists(file)) {
      byte[] fresh = new byte[KEY_BYTES];
      RANDOM.nextBytes(fresh);
      PrivateFile.replace(file, Base64.getEncoder().encodeToString(fresh) + "\n");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(Files.readString(file).strip());
    } catch (IllegalArgumentException e) {
      throw new IOException(file + " is not a sealing key (Base64 of 32 bytes)");
    }
    if (key.length != KEY_BYTES) {
      throw new IOException(file + " is not a sealing key (Base64 of 32 bytes)");
    }
    return new SealingKey(key);
  }

  /** {@code plain} sealed for {@code purpose}. */
  public String seal(byte[] plain, String purpose) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(purpose.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      byte[] sealed = c.doFinal(plain);
      ByteBuffer out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed);
      return PREFIX + Base64.getEncoder().encodeToString(out.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /** What {@link #seal} sealed for {@code purpose}; refuses text altered or sealed otherwise. */
  public byte[] open(String sealed, String purpose) throws GeneralSecurityException {
    if (sealed == null || !sealed.startsWith(PREFIX)) {
      throw new GeneralSecurityException("not sealed text");
    }
    byte[] all = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
    c.updateAAD(purpose.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return c.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
  }
}

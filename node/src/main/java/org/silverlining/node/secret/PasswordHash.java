package org.silverlining.node.secret;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Passwords kept as PBKDF2-HMAC-SHA256 hashes with a random salt, written {@code
 * pbkdf2-sha256$ITERATIONS$SALT$HASH} (Base64). The count is the one OWASP's password storage
 * guidance gives for this function (600,000); a hash keeps its own count, so raising it later
 * leaves older hashes verifiable.
 */
public final class PasswordHash {
  static final String SCHEME = "pbkdf2-sha256";
  public static final int ITERATIONS = 600_000;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A hash of a password no one has, verified for unknown users so they take as long. */
  private static final String NOBODY = hash("no one's password".toCharArray());

  private PasswordHash() {}

  /** The stored form of {@code password}, with a fresh salt. */
  public static String hash(char[] password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] hash = derive(password, salt, ITERATIONS);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return SCHEME
        + "$"
        + ITERATIONS
        + "$"
        + b64.encodeToString(salt)
        + "$"
        + b64.encodeToString(hash);
  }

  /**
   * Whether {@code password} is the one {@code stored} was made from, compared in constant time; a
   * {@code stored} of {@code null} (no such user) takes as long and is false.
   */
  public static boolean verify(char[] password, String stored) {
    String[] parts = (stored == null ? NOBODY : stored).split("\\$");
    if (parts.length != 4 || !parts[0].equals(SCHEME)) {
      throw new IllegalArgumentException("not a " + SCHEME + " password hash");
    }
    Base64.Decoder b64 = Base64.getDecoder();
    byte[] expected = b64.decode(parts[3]);
    byte[] actual = derive(password, b64.decode(parts[2]), Integer.parseInt(parts[1]));
    return MessageDigest.isEqual(expected, actual) && stored != null;
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no PBKDF2WithHmacSHA256", e);
    } finally {
      spec.clearPassword();
    }
  }
}

package org.silverlining.node.secret;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238) as authenticator apps make them: HMAC-SHA1, 6 digits, a
 * new code every 30 seconds. A code of the step before or after the current one is taken too (a
 * phone's clock a little off), and the caller refuses a step already used, so a code works once.
 */
public final class Totp {
  public static final int PERIOD_SECONDS = 30;
  static final int DIGITS = 6;
  private static final int SECRET_BYTES = 20;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private Totp() {}

  /** A new random secret, 160 bits as RFC 4226 recommends. */
  public static byte[] newSecret() {
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(secret);
    return secret;
  }

  /** The code for {@code secret} at time step {@code step}. */
  public static String code(byte[] secret, long step) {
    byte[] counter = new byte[8];
    for (int i = 7; i >= 0; i--) {
      counter[i] = (byte) step;
      step >>>= 8;
    }
    byte[] h;
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret, "HmacSHA1"));
      h = mac.doFinal(counter);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no HmacSHA1", e);
    }
    int offset = h[h.length - 1] & 0x0f;
    int binary =
        ((h[offset] & 0x7f) << 24)
            | ((h[offset + 1] & 0xff) << 16)
            | ((h[offset + 2] & 0xff) << 8)
            | (h[offset + 3] & 0xff);
    return String.format(Locale.ROOT, "%0" + DIGITS + "d", binary % 1_000_000);
  }

  /** The time step of {@code epochSeconds}. */
  public static long step(long epochSeconds) {
    return Math.floorDiv(epochSeconds, PERIOD_SECONDS);
  }

  /**
   * The step {@code code} belongs to, of the current one and its neighbours, or empty when it is
   * none of theirs. Every candidate is computed and compared in constant time.
   */
  public static OptionalLong match(byte[] secret, String code, long epochSeconds) {
    String given = code == null ? "" : code.strip().replace(" ", "");
    long now = step(epochSeconds);
    long found = -1;
    for (long s = now - 1; s <= now + 1; s++) {
      byte[] expected = code(secret, s).getBytes(StandardCharsets.US_ASCII);
      if (MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.US_ASCII))) {
        found = s;
      }
    }
    return found < 0 ? OptionalLong.empty() : OptionalLong.of(found);
  }

  /** The {@code otpauth://} URI authenticator apps read (as a QR code or pasted). */
  public static String uri(String issuer, String account, byte[] secret) {
    String label = encode(issuer) + ":" + encode(account);
    return "otpauth://totp/"
        + label
        + "?secret="
        + base32(secret)
        + "&issuer="
        + encode(issuer)
        + "&algorithm=SHA1&digits="
        + DIGITS
        + "&period="
        + PERIOD_SECONDS;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** RFC 4648 base32 without padding, as authenticator apps take secrets. */
  public static String base32(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
    }
    return out.toString();
  }

  /** The bytes of RFC 4648 base32 {@code text} (case and padding ignored). */
  public static byte[] fromBase32(String text) {
    String t = text.strip().toUpperCase(Locale.ROOT).replace("=", "");
    byte[] out = new byte[t.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int n = 0;
    for (char c : t.toCharArray()) {
      int v = BASE32.indexOf(c);
      if (v < 0) {
        throw new IllegalArgumentException("'" + c + "' is not a base32 letter");
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out[n++] = (byte) (buffer >> (bits - 8));
        bits -= 8;
      }
    }
    return out;
  }
}

package org.silverlining.api;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The node's platform secret as the app sees it: several 256-bit keys with ids, one current. {@link
 * #sign} makes an HMAC-SHA256 with the current key and names the key in the signature ({@code
 * KEYID.BASE64URL}, no padding); {@link #verify} accepts a signature made with any key still in the
 * ring and not expired, so signatures survive a rotation for its grace period.
 *
 * <p>A ring is a snapshot: get it from {@link Silver#keyRing()} when you need it (cheap: the file
 * is read again only when the node replaced it) rather than keeping one for the life of the
 * process.
 */
public final class KeyRing {
  private static final String HMAC = "HmacSHA256";

  /** One key: id, when it expires ({@code null}: the current key, no expiry). */
  private record Key(String id, Instant expires, byte[] material) {}

  private final String current;
  private final List<Key> keys;
  private final Clock clock;

  private KeyRing(String current, List<Key> keys, Clock clock) {
    this.current = current;
    this.keys = List.copyOf(keys);
    this.clock = clock;
  }

  /**
   * Reads the ring's file form ({@link KeyRingFile}; see the node's documentation of {@code
   * SILVER_SECRETS_FILE}).
   *
   * @throws IllegalArgumentException when the text is not a key ring; the message never quotes it
   */
  public static KeyRing parse(String json) {
    return parse(json, Clock.systemUTC());
  }

  static KeyRing parse(String json, Clock clock) {
    KeyRingFile file = KeyRingFile.parse(json);
    List<Key> keys = new ArrayList<>();
    for (KeyRingFile.Entry e : file.keys()) {
      keys.add(new Key(e.id(), e.expires(), e.material()));
    }
    return new KeyRing(file.current(), keys, clock);
  }

  /** The id of the current key, which {@link #sign} uses. */
  public String currentId() {
    return current;
  }

  /** The ids of the keys {@link #verify} accepts now, the current one first. */
  public List<String> ids() {
    List<String> ids = new ArrayList<>();
    ids.add(current);
    for (Key k : keys) {
      if (!k.id().equals(current) && valid(k)) {
        ids.add(k.id());
      }
    }
    return ids;
  }

  /** The current key's 32 bytes (a copy). */
  public byte[] secret() {
    return key(current).material().clone();
  }

  /** A signature of {@code data}: {@code KEYID.} and the base64url HMAC-SHA256 with that key. */
  public String sign(byte[] data) {
    Key k = key(current);
    return k.id() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(k, data));
  }

  /** {@link #sign(byte[])} of the UTF-8 bytes of {@code text}. */
  public String sign(String text) {
    return sign(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Whether {@code signature} was made by {@link #sign} of {@code data} with a key still in the
   * ring and not expired. Compares in constant time; a malformed signature is simply not valid.
   */
  public boolean verify(byte[] data, String signature) {
    if (signature == null) {
      return false;
    }
    int dot = signature.indexOf('.');
    if (dot <= 0) {
      return false;
    }
    String id = signature.substring(0, dot);
    byte[] mac;
    try {
      mac = Base64.getUrlDecoder().decode(signature.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return false;
    }
    for (Key k : keys) {
      if (k.id().equals(id) && valid(k)) {
        return MessageDigest.isEqual(hmac(k, data), mac);
      }
    }
    return false;
  }

  /** {@link #verify(byte[], String)} of the UTF-8 bytes of {@code text}. */
  public boolean verify(String text, String signature) {
    return verify(text.getBytes(StandardCharsets.UTF_8), signature);
  }

  private boolean valid(Key k) {
    return k.expires() == null || k.expires().isAfter(clock.instant());
  }

  private Key key(String id) {
    return keys.stream().filter(k -> k.id().equals(id)).findFirst().orElseThrow();
  }

  private static byte[] hmac(Key k, byte[] data) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(k.material(), HMAC));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  /** Ids only: a key ring never shows its keys. */
  @Override
  public String toString() {
    return "KeyRing[current=" + current + ", ids=" + ids() + "]";
  }
}

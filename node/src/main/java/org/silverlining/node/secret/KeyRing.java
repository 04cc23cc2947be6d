package org.silverlining.node.secret;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.silverlining.api.KeyRingFile;
import org.silverlining.node.state.NewerFormatException;

/**
 * The platform secret: random 256-bit keys with ids, one of them current. Retired keys carry the
 * instant they expire; until then apps still accept signatures made with them. An immutable value:
 * {@link #rotated} and {@link #withoutExpired} return new rings.
 *
 * <p>The file form ({@code keyring.json}, documented in docs/config.md):
 *
 * <pre>
 * {"format": 1, "current": "3f9c2a71",
 *  "keys": [{"id": "3f9c2a71", "created": "2026-11-26T04:30:00Z", "key": "BASE64 (32 bytes)"},
 *           {"id": "a0e1b2c3", "created": "...", "expires": "2026-12-03T04:30:00Z", "key": "..."}]}
 * </pre>
 */
public record KeyRing(String current, List<Key> keys) {
  static final int FORMAT = KeyRingFile.FORMAT;
  static final int KEY_BYTES = KeyRingFile.KEY_BYTES;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One key: its id (8 hex digits, never containing '.'), when it was made, when it expires ({@code
   * null} for the current key) and its 32 bytes.
   */
  public record Key(String id, Instant created, Instant expires, byte[] material) {
    public Key {
      if (material.length != KEY_BYTES) {
        throw new IllegalArgumentException(
            "key " + id + " has " + material.length + " bytes, not " + KEY_BYTES);
      }
      material = material.clone();
    }

    @Override
    public byte[] material() {
      return material.clone();
    }

    /** What may be shown: everything but the key material. */
    @Override
    public String toString() {
      return "Key["
          + id
          + ", created "
          + created
          + (expires == null ? "" : ", expires " + expires)
          + "]";
    }
  }

  public KeyRing {
    keys = List.copyOf(keys);
    if (keys.stream().noneMatch(k -> k.id().equals(current))) {
      throw new IllegalArgumentException("the current key " + current + " is not in the ring");
    }
  }

  /** A ring of one new key, made at {@code now}. */
  public static KeyRing fresh(Instant now) {
    Key k = newKey(List.of(), now);
    return new KeyRing(k.id(), List.of(k));
  }

  /** The current key. */
  public Key currentKey() {
    return keys.stream().filter(k -> k.id().equals(current)).findFirst().orElseThrow();
  }

  /**
   * A ring whose current key is new. Every key retired now or before stays valid until {@code now +
   * grace} at the latest (an earlier expiry is kept), so a grace of 0 drops every old key: the
   * answer to a leaked key.
   */
  public KeyRing rotated(Duration grace, Instant now) {
    if (grace.isNegative()) {
      throw new IllegalArgumentException("a grace period cannot be negative");
    }
    // Whole seconds in the file, rounded up: a retired key is never valid for less than the grace.
    Instant until = now.plus(grace);
    if (!grace.isZero() && until.getNano() != 0) {
      until = until.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    }
    Key fresh = newKey(keys, now);
    List<Key> next = new ArrayList<>();
    next.add(fresh);
    for (Key k : keys) {
      Instant expires = k.expires() == null || k.expires().isAfter(until) ? until : k.expires();
      next.add(new Key(k.id(), k.created(), expires, k.material()));
    }
    return new KeyRing(fresh.id(), next).withoutExpired(now);
  }

  /** This ring without the keys whose expiry is at or before {@code now}. */
  public KeyRing withoutExpired(Instant now) {
    List<Key> left =
        keys.stream().filter(k -> k.expires() == null || k.expires().isAfter(now)).toList();
    return left.size() == keys.size() ? this : new KeyRing(current, left);
  }

  /** The earliest instant a key of this ring expires, if any does. */
  public Optional<Instant> nextExpiry() {
    return keys.stream().map(Key::expires).filter(e -> e != null).min(Instant::compareTo);
  }

  private static Key newKey(List<Key> taken, Instant now) {
    byte[] material = new byte[KEY_BYTES];
    RANDOM.nextBytes(material);
    while (true) {
      byte[] raw = new byte[4];
      RANDOM.nextBytes(raw);
      String id = HexFormat.of().formatHex(raw);
      if (taken.stream().noneMatch(k -> k.id().equals(id))) {
        return new Key(id, now.truncatedTo(ChronoUnit.SECONDS), null, material);
      }
    }
  }

  /** The file form, with the key material. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("current", current);
    ArrayNode list = root.putArray("keys");
    for (Key k : keys) {
      ObjectNode o = list.addObject();
      o.put("id", k.id());
      o.put("created", k.created().toString());
      if (k.expires() != null) {
        o.put("expires", k.expires().toString());
      }
      o.put("key", Base64.getEncoder().encodeToString(k.material()));
    }
    return root.toPrettyString() + "\n";
  }

  /**
   * Reads the file form with the app API's reader ({@link KeyRingFile}, the one reader of the
   * format); {@code where} names the file in errors.
   *
   * @throws IllegalArgumentException naming what is wrong and where
   */
  public static KeyRing parse(String json, String where) {
    try {
      KeyRingFile file = KeyRingFile.parse(json);
      List<Key> keys = new ArrayList<>();
      for (KeyRingFile.Entry e : file.keys()) {
        keys.add(new Key(e.id(), e.created(), e.expires(), e.material()));
      }
      return new KeyRing(file.current(), keys);
    } catch (KeyRingFile.NewerFormatException e) {
      throw new NewerFormatException(where, e.format(), FORMAT);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }
}

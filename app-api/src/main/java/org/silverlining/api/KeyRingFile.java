package org.silverlining.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The file form of a key ring ({@code SILVER_SECRETS_FILE}, the node's {@code keyring.json}), read:
 * the one reader of that format, for apps ({@link KeyRing}) and the node alike. Apps use {@link
 * KeyRing}; this is what it is made from.
 *
 * <pre>
 * {"format": 1, "current": "3f9c2a71",
 *  "keys": [{"id": "3f9c2a71", "created": "2026-11-26T04:30:00Z", "key": "BASE64 (32 bytes)"},
 *           {"id": "a0e1b2c3", "created": "...", "expires": "2026-12-03T04:30:00Z", "key": "..."}]}
 * </pre>
 *
 * @param current the id of the key that signs
 * @param keys every key, the current one among them
 */
public record KeyRingFile(String current, List<Entry> keys) {
  /** The format version this reader knows. */
  public static final int FORMAT = 1;

  /** The bytes of each key. */
  public static final int KEY_BYTES = 32;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /**
   * One key: its id, when it was made, when it expires ({@code null}: never, the current key) and
   * its {@link #KEY_BYTES} bytes.
   */
  public record Entry(String id, Instant created, Instant expires, byte[] material) {
    public Entry {
      material = material.clone();
    }

    @Override
    public byte[] material() {
      return material.clone();
    }

    /** What may be shown: everything but the key material. */
    @Override
    public String toString() {
      return "Entry[" + id + ", created " + created + ", expires " + expires + "]";
    }
  }

  /** A ring in a format newer than {@link #FORMAT}: a newer node wrote it. */
  public static final class NewerFormatException extends IllegalArgumentException {
    private final int format;

    NewerFormatException(int format) {
      super("the key ring is in format " + format + ", newer than " + FORMAT);
      this.format = format;
    }

    /** The format the ring says it is in. */
    public int format() {
      return format;
    }
  }

  public KeyRingFile {
    keys = List.copyOf(keys);
  }

  /**
   * Reads {@code json}.
   *
   * @throws NewerFormatException when the ring is in a newer format
   * @throws IllegalArgumentException when the text is not a key ring; the message says what is
   *     wrong and never quotes the text (it holds keys)
   */
  public static KeyRingFile parse(String json) {
    Map<String, Object> root = JsonReader.object(json);
    if (!(root.get("format") instanceof Long format)) {
      throw new IllegalArgumentException("\"format\" is not " + FORMAT);
    }
    if (format > FORMAT) {
      throw new NewerFormatException((int) Math.min(Integer.MAX_VALUE, format));
    }
    if (format != FORMAT) {
      throw new IllegalArgumentException("\"format\" is not " + FORMAT);
    }
    if (!(root.get("keys") instanceof List<?> list)) {
      throw new IllegalArgumentException("the key ring has no \"keys\" list");
    }
    List<Entry> keys = new ArrayList<>();
    for (Object o : list) {
      keys.add(entry(o));
    }
    if (!(root.get("current") instanceof String current)
        || keys.stream().noneMatch(k -> k.id().equals(current))) {
      throw new IllegalArgumentException(
          "the current key "
              + (root.get("current") instanceof String c ? c : "(none)")
              + " is not in the ring");
    }
    return new KeyRingFile(current, keys);
  }

  private static Entry entry(Object o) {
    if (!(o instanceof Map<?, ?> k)
        || !(k.get("id") instanceof String id)
        || !(k.get("key") instanceof String key)) {
      throw new IllegalArgumentException("each key of the ring has an \"id\" and a \"key\"");
    }
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "a key id must be 1 to 64 of A-Z a-z 0-9 _ -: '" + id + "'");
    }
    byte[] material;
    try {
      material = Base64.getDecoder().decode(key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("key " + id + " is not base64", null);
    }
    if (material.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "key " + id + " has " + material.length + " bytes, not " + KEY_BYTES);
    }
    return new Entry(id, instant(id, k, "created"), instant(id, k, "expires"), material);
  }

  /** {@code field} of key {@code id}: an ISO instant; only {@code expires} may be absent. */
  private static Instant instant(String id, Map<?, ?> k, String field) {
    Object v = k.get(field);
    if (v == null && field.equals("expires")) {
      return null;
    }
    if (v instanceof String text) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        // named below
      }
    }
    throw new IllegalArgumentException(
        "key " + id + ": \"" + field + "\" is not an instant such as 2026-11-26T04:30:00Z");
  }
}

package org.silverlining.node.front;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The last text read from a range of bytes: the same string while the bytes stay the same, so that
 * a connection's requests to one host and path make no new strings.
 */
final class LastText {
  private byte[] bytes = new byte[0];
  private String text;

  /** The last text read. */
  String text() {
    return text;
  }

  /** The bytes of [from, to) in {@code b} as text (ISO-8859-1). */
  String of(ByteBuffer b, int from, int to) {
    int n = to - from;
    if (n == bytes.length && text != null) {
      boolean same = true;
      for (int i = 0; i < n && same; i++) {
        same = b.get(from + i) == bytes[i];
      }
      if (same) {
        return text;
      }
    }
    bytes = new byte[n];
    b.get(from, bytes);
    text = new String(bytes, StandardCharsets.ISO_8859_1);
    return text;
  }
}

package org.silverlining.node.front;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Writing the heads the byte-level proxy sends: ASCII text into buffers, and its fixed lines. */
final class ProxyHead {
  private ProxyHead() {}

  static final byte[] CRLF = {'\r', '\n'};
  static final byte[] PROTO_HTTP = bytes("X-Forwarded-Proto: http\r\n");
  static final byte[] CONNECTION_CLOSE = bytes("Connection: close\r\n");
  static final byte[] HTTP_11 = bytes("HTTP/1.1 ");
  static final String VIA = ForwardedRequest.via(null, "HTTP/1.1", ForwardedRequest.VIA_HOST);

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** {@code s}, a string of bytes (ISO-8859-1, as it was read), into {@code o}. */
  static void put(ByteBuffer o, String s) {
    for (int i = 0; i < s.length(); i++) {
      o.put((byte) s.charAt(i));
    }
  }

  /** {@code length} bytes of {@code from} at {@code at} into {@code o}, without a slice. */
  static void copy(ByteBuffer o, ByteBuffer from, int at, int length) {
    o.put(o.position(), from, at, length);
    o.position(o.position() + length);
  }

  static void header(ByteBuffer o, String nameColon, String value) {
    put(o, nameColon);
    put(o, value);
    o.put(CRLF);
  }
}

package org.silverlining.node.front;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpStatus;
import org.silverlining.node.middleware.Decision;
import org.silverlining.node.middleware.Header;

/** Writing the heads the byte-level proxy sends: ASCII text into buffers, and its fixed lines. */
final class ProxyHead {
  private ProxyHead() {}

  static final byte[] BAD_REQUEST =
      plainAnswer("400 Bad Request", "The request is malformed or ambiguous.\n");
  static final byte[] TOO_LARGE =
      plainAnswer("431 Request Header Fields Too Large", "The request's head is too large.\n");
  static final byte[] BAD_GATEWAY =
      plainAnswer("502 Bad Gateway", "The application did not answer properly.\n");
  static final byte[] GATEWAY_TIMEOUT =
      plainAnswer("504 Gateway Timeout", "The application did not answer in time.\n");

  /** A whole answer with a short text body, after which the connection closes. */
  private static byte[] plainAnswer(String status, String body) {
    return ("HTTP/1.1 "
            + status
            + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
            + body.length()
            + "\r\nConnection: close\r\n\r\n"
            + body)
        .getBytes(StandardCharsets.US_ASCII);
  }

  static final byte[] CRLF = {'\r', '\n'};
  static final byte[] PROTO_HTTP = bytes("X-Forwarded-Proto: http\r\n");
  static final byte[] CONNECTION_CLOSE = bytes("Connection: close\r\n");
  static final byte[] HTTP_11 = bytes("HTTP/1.1 ");
  static final byte[] LAST_CHUNK = bytes("0\r\n\r\n");
  static final byte[] VARY_ACCEPT_ENCODING = bytes("Vary: Accept-Encoding\r\n");
  static final byte[] GZIPPED = bytes("Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n");
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

  /** Whether the header line at {@code at} is named {@code name} (in any case). */
  static boolean named(ByteBuffer b, int at, String name) {
    int n = name.length();
    if (at + n >= b.limit() || b.get(at + n) != ':') {
      return false;
    }
    for (int i = 0; i < n; i++) {
      int c = b.get(at + i);
      int d = name.charAt(i);
      if (c != d && lower(c) != lower(d)) {
        return false;
      }
    }
    return true;
  }

  private static int lower(int c) {
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
  }

  /** Whether the header line at {@code at} is named as one of {@code headers}. */
  static boolean namedAny(ByteBuffer b, int at, List<Header> headers) {
    for (Header h : headers) {
      if (named(b, at, h.name())) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code headers} set or take away a header named {@code name}. */
  static boolean sets(List<Header> headers, String name) {
    for (Header h : headers) {
      if (h.name().equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /** Bytes {@link #headers} takes at most. */
  static int size(List<Header> headers) {
    int n = 0;
    for (Header h : headers) {
      n += h.value() == null ? 0 : h.name().length() + h.value().length() + 4;
    }
    return n;
  }

  /** Each of {@code headers} that has a value (the others only take away the ones they name). */
  static void headers(ByteBuffer o, List<Header> headers) {
    for (Header h : headers) {
      if (h.value() != null) {
        put(o, h.name());
        o.put((byte) ':').put((byte) ' ');
        put(o, h.value());
        o.put(CRLF);
      }
    }
  }

  /** The head of a middleware pack's answer, for a client that asked in HTTP/1.1. */
  static byte[] answer(Decision.Answer answer, boolean close) {
    StringBuilder s = new StringBuilder(256).append("HTTP/1.1 ").append(answer.status());
    s.append(' ').append(HttpStatus.getMessage(answer.status())).append("\r\n");
    for (Header h : answer.headers()) {
      if (h.value() != null) {
        s.append(h.name()).append(": ").append(h.value()).append("\r\n");
      }
    }
    s.append("Content-Length: ").append(answer.body().length).append("\r\n");
    if (close) {
      s.append("Connection: close\r\n");
    }
    return bytes(s.append("\r\n").toString());
  }

  static void header(ByteBuffer o, String nameColon, String value) {
    put(o, nameColon);
    put(o, value);
    o.put(CRLF);
  }
}

package org.silverlining.node.front;

import java.nio.ByteBuffer;

/**
 * The head of one HTTP/1.1 request, parsed in place: offsets into the buffer it arrived in, no
 * strings, no copies. Reused for every request of a connection.
 *
 * <p>Stricter than it has to be where leniency lets a request mean two things to two parsers
 * (request smuggling): a head with both {@code Content-Length} and {@code Transfer-Encoding}, two
 * {@code Content-Length} or {@code Host} headers, a folded header line (obs-fold), a space before a
 * colon, a control character or a lone CR is {@link Verdict#BAD}. Whatever is legal but unusual —
 * not HTTP/1.1, an absolute or encoded target, dot segments, {@code Expect}, {@code Upgrade}, a
 * chunked body, a {@code Connection} option other than {@code close} and {@code keep-alive} — is
 * {@link Verdict#OTHER}: the node's full HTTP server answers those.
 */
final class RequestHead {
  /** Longer heads are answered 431, as the node's HTTP server does (its default size). */
  static final int MAX_HEAD = 8192;

  static final int MAX_HEADERS = 100;

  enum Verdict {
    /** The head has not fully arrived yet. */
    INCOMPLETE,
    /** Parsed; the byte-level path can pass it on. */
    PLAIN,
    /** Legal but unusual: for the full HTTP server. */
    OTHER,
    /** Malformed or ambiguous: answered 400. */
    BAD,
    /** Longer than {@link #MAX_HEAD}: answered 431. */
    TOO_LARGE
  }

  // What each header is to the proxy: passed on as it is, or dropped (hop-by-hop or replaced).
  static final byte PASS = 0;
  static final byte DROP = 1;
  static final byte HOST = 2;
  static final byte FORWARDED_FOR = 3;
  static final byte FORWARDED = 4;
  static final byte VIA = 5;

  ByteBuffer buf;
  int start;
  int methodEnd;
  int targetStart;
  int pathEnd;
  int targetEnd;

  /** Just after the blank line that ends the head. */
  int end;

  int count;
  final int[] nameStart = new int[MAX_HEADERS];
  final int[] valueStart = new int[MAX_HEADERS];
  final int[] valueEnd = new int[MAX_HEADERS];
  final int[] lineEnd = new int[MAX_HEADERS];
  final byte[] kind = new byte[MAX_HEADERS];

  int host;
  long contentLength;
  boolean close;
  boolean head;

  /** The {@code Accept-Encoding} header's index, or -1: which answers may be compressed. */
  int acceptEncoding;

  /**
   * Whether the request is conditional ({@code If-None-Match}, {@code If-Modified-Since}...): the
   * full server takes its compressed-answer {@code ETag}s apart, so such a request to an app that
   * may be compressed is its to answer.
   */
  boolean conditional;

  /**
   * How far past the buffer's position the search for the head's end got last time, so that a slow
   * client's bytes are not searched again and again.
   */
  private int scanned;

  private static final boolean[] TCHAR = new boolean[256];

  static {
    for (int c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
    }
    for (int c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      TCHAR[c - 32] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TCHAR[c] = true;
    }
  }

  /** Parses the head that starts at {@code b}'s position, if it has fully arrived. */
  Verdict parse(ByteBuffer b) {
    int from = b.position();
    int limit = b.limit();
    int e = findEnd(b, from + scanned, limit);
    if (e < 0) {
      scanned = Math.max(0, limit - 3 - from);
      return limit - from >= MAX_HEAD ? Verdict.TOO_LARGE : Verdict.INCOMPLETE;
    }
    scanned = 0;
    if (e - from > MAX_HEAD) {
      return Verdict.TOO_LARGE;
    }
    buf = b;
    start = from;
    end = e;
    return parseHead();
  }

  /** Just after the first blank line at or after {@code from}, or -1. */
  private static int findEnd(ByteBuffer b, int from, int limit) {
    for (int i = from; i < limit; i++) {
      if (b.get(i) == '\n') {
        if (i + 1 < limit && b.get(i + 1) == '\n') {
          return i + 2;
        }
        if (i + 2 < limit && b.get(i + 1) == '\r' && b.get(i + 2) == '\n') {
          return i + 3;
        }
      }
    }
    return -1;
  }

  private Verdict parseHead() {
    ByteBuffer b = buf;
    count = 0;
    host = -1;
    contentLength = -1;
    close = false;
    acceptEncoding = -1;
    conditional = false;
    int i = start;
    // method SP target SP HTTP/1.1
    while (TCHAR[b.get(i) & 0xff]) {
      i++;
    }
    if (i == start || b.get(i) != ' ') {
      return Verdict.BAD;
    }
    methodEnd = i++;
    head = methodEnd - start == 4 && startsWith(b, start, "HEAD");
    targetStart = i;
    pathEnd = -1;
    boolean plainPath = b.get(i) == '/';
    for (byte c; (c = b.get(i)) != ' '; i++) {
      if (c < 0) {
        plainPath = false; // not ASCII: the full server decides
      } else if (c <= ' ' || c == 0x7f) {
        return Verdict.BAD;
      } else if (pathEnd < 0) {
        if (c == '?') {
          pathEnd = i;
        } else if (c == '%' || c == ';' || c == '\\' || c == '#') {
          plainPath = false;
        } else if (c == '.' || c == '/') {
          plainPath &= b.get(i - 1) != '/'; // no "//", no dot segment
        }
      }
    }
    targetEnd = i++;
    if (pathEnd < 0) {
      pathEnd = targetEnd;
    }
    if (targetEnd == targetStart) {
      return Verdict.BAD;
    }
    if (!startsWith(b, i, "HTTP/1.1")) {
      return Verdict.OTHER; // HTTP/1.0 and whatever else: the full server's to judge
    }
    i += 8;
    int eol = endOfLine(b, i);
    if (eol != i) {
      return Verdict.BAD;
    }
    i = next(b, eol);
    boolean other = !plainPath || isConnect();
    boolean chunked = false;
    while (i < end) {
      if (b.get(i) == '\r' || b.get(i) == '\n') {
        if (endOfLine(b, i) < 0 || next(b, i) != end) {
          return Verdict.BAD; // a lone CR
        }
        break; // the blank line
      }
      if (count == MAX_HEADERS) {
        other = true;
        break;
      }
      int n = i;
      while (TCHAR[b.get(i) & 0xff]) {
        i++;
      }
      if (i == n || b.get(i) != ':') {
        return Verdict.BAD; // includes obs-fold (a line starting with SP or HT), "Name : value"
      }
      int nameEnd = i++;
      while (b.get(i) == ' ' || b.get(i) == '\t') {
        i++;
      }
      int vs = i;
      int ve = i;
      for (byte c; ; i++) {
        c = b.get(i);
        if (c == '\r' || c == '\n') {
          break;
        }
        if (c >= 0 && c < ' ' && c != '\t' || c == 0x7f) {
          return Verdict.BAD;
        }
        if (c != ' ' && c != '\t') {
          ve = i + 1;
        }
      }
      eol = endOfLine(b, i);
      if (eol < 0) {
        return Verdict.BAD;
      }
      int h = count++;
      nameStart[h] = n;
      valueStart[h] = vs;
      valueEnd[h] = ve;
      i = next(b, eol);
      lineEnd[h] = i;
      byte k = PASS;
      conditional |= nameEnd - n > 3 && is(b, n, "if-");
      switch (nameEnd - n) {
        case 2 -> k = is(b, n, "te") ? DROP : PASS;
        case 3 -> k = is(b, n, "via") ? VIA : PASS;
        case 4 -> {
          if (is(b, n, "host")) {
            if (host >= 0) {
              return Verdict.BAD;
            }
            host = h;
            k = HOST;
          }
        }
        // the dashboard's session cookie is taken out on the full path (InternalHeaderFilter)
        case 6 ->
            other |=
                is(b, n, "expect")
                    || is(b, n, "cookie")
                        && contains(b, vs, ve, InternalHeaderFilter.DASHBOARD_COOKIE);
        case 7 -> {
          if (is(b, n, "upgrade")) {
            other = true;
          } else if (is(b, n, "trailer")) {
            k = DROP;
          }
        }
        case 9 -> k = is(b, n, "forwarded") ? FORWARDED : PASS;
        case 10 -> {
          if (is(b, n, "connection")) {
            k = DROP;
            int options = connectionOptions(b, vs, ve);
            if (options < 0) {
              other = true;
            } else {
              close |= options == 1;
            }
          } else if (is(b, n, "keep-alive")) {
            k = DROP;
          }
        }
        case 14 -> {
          if (is(b, n, "content-length")) {
            if (contentLength >= 0) {
              return Verdict.BAD;
            }
            contentLength = number(b, vs, ve);
            if (contentLength < 0) {
              return Verdict.BAD;
            }
          }
        }
        case 15 -> {
          if (is(b, n, "x-forwarded-for")) {
            k = FORWARDED_FOR;
          } else if (is(b, n, "accept-encoding")) {
            other |= acceptEncoding >= 0; // two: the full server joins them
            acceptEncoding = h;
          }
        }
        case 16 -> {
          if (is(b, n, "x-forwarded-host") || is(b, n, "proxy-connection")) {
            k = DROP;
          }
        }
        case 17 -> {
          if (is(b, n, "x-forwarded-proto")) {
            k = DROP;
          } else if (is(b, n, "transfer-encoding")) {
            if (chunked || ve - vs != 7 || !is(b, vs, "chunked")) {
              return Verdict.BAD;
            }
            chunked = true;
          }
        }
        case 18 -> k = is(b, n, "x-forwarded-prefix") ? DROP : PASS;
        default -> {}
      }
      if (k == PASS && InternalHeaderFilter.isInternal(b, n, nameEnd)) {
        k = DROP;
      }
      kind[h] = k;
    }
    if (chunked && contentLength >= 0) {
      return Verdict.BAD;
    }
    return other || chunked || host < 0 || valueEnd[host] == valueStart[host]
        ? Verdict.OTHER
        : Verdict.PLAIN;
  }

  /** The port the client asked for: the Host header's, else {@code connectedTo}. */
  int hostPort(int connectedTo) {
    ByteBuffer b = buf;
    int from = valueStart[host];
    int to = valueEnd[host];
    int port = 0;
    for (int i = to - 1, scale = 1; i >= from; i--, scale *= 10) {
      byte c = b.get(i);
      if (c == ':') {
        return i < to - 1 && port > 0 && port < 65536 ? port : connectedTo;
      }
      if (c < '0' || c > '9' || scale > 10000) {
        return connectedTo;
      }
      port += (c - '0') * scale;
    }
    return connectedTo;
  }

  private boolean isConnect() {
    return methodEnd - start == 7 && startsWith(buf, start, "CONNECT");
  }

  /** 0 for only keep-alive, 1 when close is among them, -1 for any other option. */
  private static int connectionOptions(ByteBuffer b, int from, int to) {
    int result = 0;
    int i = from;
    while (i < to) {
      while (i < to && (b.get(i) == ' ' || b.get(i) == '\t' || b.get(i) == ',')) {
        i++;
      }
      int s = i;
      while (i < to && b.get(i) != ',' && b.get(i) != ' ' && b.get(i) != '\t') {
        i++;
      }
      if (i - s == 5 && is(b, s, "close")) {
        result = 1;
      } else if (i > s && !(i - s == 10 && is(b, s, "keep-alive"))) {
        return -1;
      }
    }
    return result;
  }

  /** The decimal number in [from, to), or -1 when it is not one (or too long to be sane). */
  private static long number(ByteBuffer b, int from, int to) {
    if (from == to || to - from > 18) {
      return -1;
    }
    long n = 0;
    for (int i = from; i < to; i++) {
      int d = b.get(i) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      n = n * 10 + d;
    }
    return n;
  }

  /** {@code i} if a line ends there (CRLF or LF), else -1 (text goes on, or a lone CR). */
  private static int endOfLine(ByteBuffer b, int i) {
    byte c = b.get(i);
    if (c == '\n' || c == '\r' && b.get(i + 1) == '\n') {
      return i;
    }
    return -1;
  }

  private static int next(ByteBuffer b, int eol) {
    return b.get(eol) == '\r' ? eol + 2 : eol + 1;
  }

  /** Whether the bytes at {@code at} are {@code lower}, ignoring ASCII case. */
  /** Whether {@code text} occurs in [from, to), byte for byte. */
  private static boolean contains(ByteBuffer b, int from, int to, String text) {
    for (int i = from; i + text.length() <= to; i++) {
      int j = 0;
      while (j < text.length() && b.get(i + j) == text.charAt(j)) {
        j++;
      }
      if (j == text.length()) {
        return true;
      }
    }
    return false;
  }

  static boolean is(ByteBuffer b, int at, String lower) {
    for (int i = 0; i < lower.length(); i++) {
      if ((b.get(at + i) | 0x20) != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(ByteBuffer b, int at, String s) {
    if (at + s.length() > b.limit()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (b.get(at + i) != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The bytes of [from, to) as an ASCII string. */
  static String ascii(ByteBuffer b, int from, int to) {
    byte[] bytes = new byte[to - from];
    b.get(from, bytes);
    return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}

package org.silverlining.node.front;

import java.nio.ByteBuffer;

/**
 * The head of an app's answer, parsed in place, and how its body is framed: by {@code
 * Content-Length}, by chunked encoding (followed chunk by chunk, so the proxy knows where the
 * answer ends while passing its bytes on as they are) or by the app closing the connection.
 */
final class ResponseHead {
  enum Verdict {
    INCOMPLETE,
    OK,
    BAD
  }

  ByteBuffer buf;
  int start;
  int statusStart;
  int status;
  int end;
  int count;
  final int[] lineStart = new int[RequestHead.MAX_HEADERS];
  final int[] lineEnd = new int[RequestHead.MAX_HEADERS];
  final boolean[] dropped = new boolean[RequestHead.MAX_HEADERS];
  long contentLength;
  boolean chunked;

  /** The app closes the connection after this answer (it said so, or answered as HTTP/1.0). */
  boolean close;

  // The headers compression looks at: their line's index, or -1 when absent.
  int contentType;
  int contentEncoding;
  int etag;
  int vary;
  int lengthLine;
  int transferEncoding;

  /** Where the {@code Content-Type} value starts and ends. */
  int typeStart;

  int typeEnd;

  /** Where the {@code ETag} value ends. */
  int etagEnd;

  Verdict parse(ByteBuffer b) {
    int from = b.position();
    int limit = b.limit();
    int e = -1;
    for (int i = from; i < limit && e < 0; i++) {
      if (b.get(i) == '\n') {
        if (i + 1 < limit && b.get(i + 1) == '\n') {
          e = i + 2;
        } else if (i + 2 < limit && b.get(i + 1) == '\r' && b.get(i + 2) == '\n') {
          e = i + 3;
        }
      }
    }
    if (e < 0) {
      return Verdict.INCOMPLETE;
    }
    buf = b;
    start = from;
    end = e;
    return parseHead() ? Verdict.OK : Verdict.BAD;
  }

  private boolean parseHead() {
    ByteBuffer b = buf;
    int i = start;
    if (end - i < 13 || !RequestHead.is(b, i, "http/1.")) {
      return false;
    }
    boolean http10 = b.get(i + 7) == '0';
    i += 8;
    if (b.get(i) != ' ') {
      return false;
    }
    statusStart = ++i;
    status = 0;
    for (int k = 0; k < 3; k++, i++) {
      int d = b.get(i) - '0';
      if (d < 0 || d > 9) {
        return false;
      }
      status = status * 10 + d;
    }
    while (b.get(i) != '\n') {
      i++;
    }
    i++;
    count = 0;
    contentLength = -1;
    chunked = false;
    contentType = -1;
    contentEncoding = -1;
    etag = -1;
    vary = -1;
    lengthLine = -1;
    transferEncoding = -1;
    boolean keepAlive = false;
    close = false;
    while (i < end && b.get(i) != '\r' && b.get(i) != '\n') {
      if (count == lineStart.length || b.get(i) == ' ' || b.get(i) == '\t') {
        return false;
      }
      int h = count++;
      lineStart[h] = i;
      int colon = i;
      while (b.get(colon) != ':' && b.get(colon) != '\n') {
        colon++;
      }
      if (b.get(colon) != ':') {
        return false;
      }
      int vs = colon + 1;
      int eol = vs;
      while (b.get(eol) != '\n') {
        eol++;
      }
      lineEnd[h] = eol + 1;
      int ve = b.get(eol - 1) == '\r' ? eol - 1 : eol;
      while (vs < ve && (b.get(vs) == ' ' || b.get(vs) == '\t')) {
        vs++;
      }
      while (ve > vs && (b.get(ve - 1) == ' ' || b.get(ve - 1) == '\t')) {
        ve--;
      }
      boolean drop = false;
      switch (colon - i) {
        case 4 -> {
          if (RequestHead.is(b, i, "etag")) {
            etag = h;
            etagEnd = ve;
          } else if (RequestHead.is(b, i, "vary")) {
            vary = h;
          }
        }
        case 12 -> {
          if (RequestHead.is(b, i, "content-type")) {
            contentType = h;
            typeStart = vs;
            typeEnd = ve;
          }
        }
        case 16 -> {
          if (RequestHead.is(b, i, "content-encoding")) {
            contentEncoding = h;
          } else {
            drop = RequestHead.is(b, i, "proxy-connection");
          }
        }
        case 7 -> drop = RequestHead.is(b, i, "upgrade");
        case 10 -> {
          if (RequestHead.is(b, i, "connection")) {
            drop = true;
            close |= contains(b, vs, ve, "close");
            keepAlive |= contains(b, vs, ve, "keep-alive");
          } else {
            drop = RequestHead.is(b, i, "keep-alive");
          }
        }
        case 14 -> {
          if (RequestHead.is(b, i, "content-length")) {
            lengthLine = h;
            long n = 0;
            for (int k = vs; k < ve; k++) {
              int d = b.get(k) - '0';
              if (d < 0 || d > 9 || k - vs > 17) {
                return false;
              }
              n = n * 10 + d;
            }
            if (ve == vs || contentLength >= 0 && contentLength != n) {
              return false;
            }
            contentLength = n;
          }
        }
        case 17 -> {
          if (RequestHead.is(b, i, "transfer-encoding")) {
            transferEncoding = h;
            // chunked only when it is the last coding; anything else runs until the app closes
            chunked = ve - vs >= 7 && RequestHead.is(b, ve - 7, "chunked");
            close |= !chunked;
          }
        }
        default -> {}
      }
      dropped[h] = drop;
      i = lineEnd[h];
    }
    if (chunked) {
      contentLength = -1;
    }
    close |= http10 && !keepAlive;
    if (!chunked && contentLength < 0 && hasBody(false)) {
      close = true; // the body runs until the app closes the connection
    }
    return true;
  }

  /** Whether this answer has a body, to a request that was a HEAD request or not. */
  boolean hasBody(boolean headRequest) {
    return !headRequest && status >= 200 && status != 204 && status != 304;
  }

  private static boolean contains(ByteBuffer b, int from, int to, String lower) {
    for (int i = from; i + lower.length() <= to; i++) {
      if (RequestHead.is(b, i, lower)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Follows a chunked body: {@link #scan} says how many of the bytes given belong to the body, and
   * when its last chunk and trailers have gone by.
   */
  static final class Chunks {
    private static final int SIZE = 0;
    private static final int EXTENSION = 1;
    private static final int SIZE_LF = 2;
    private static final int DATA = 3;
    private static final int DATA_CR = 4;
    private static final int DATA_LF = 5;
    private static final int TRAILER_START = 6;
    private static final int TRAILER = 7;
    private static final int TRAILER_LF = 8;
    private static final int LAST_LF = 9;
    private static final int DONE = 10;

    private int state;
    private long size;
    private int digits;

    void reset() {
      state = SIZE;
      size = 0;
      digits = 0;
    }

    boolean done() {
      return state == DONE;
    }

    /** Where the data of the chunks goes, without their framing. */
    interface Data {
      void take(ByteBuffer b, int from, int length);
    }

    /**
     * Reads [from, to) of {@code b}; returns the index where the body ended (to when it goes on),
     * or -1 when the encoding is broken.
     */
    int scan(ByteBuffer b, int from, int to) {
      return scan(b, from, to, null);
    }

    /** As {@link #scan(ByteBuffer, int, int)}, giving the chunks' data to {@code data}. */
    int scan(ByteBuffer b, int from, int to, Data data) {
      int i = from;
      while (i < to && state != DONE) {
        if (state == DATA) {
          long n = Math.min(size, to - i);
          if (data != null && n > 0) {
            data.take(b, i, (int) n);
          }
          i += (int) n;
          size -= n;
          if (size == 0) {
            state = DATA_CR;
          }
          continue;
        }
        byte c = b.get(i++);
        switch (state) {
          case SIZE -> {
            int d = Character.digit(c, 16);
            if (d >= 0 && digits < 15) {
              size = size * 16 + d;
              digits++;
            } else if (digits > 0 && (c == ';' || c == ' ' || c == '\t')) {
              state = EXTENSION;
            } else if (digits > 0 && c == '\r') {
              state = SIZE_LF;
            } else {
              return -1;
            }
          }
          case EXTENSION -> {
            if (c == '\r') {
              state = SIZE_LF;
            } else if (c == '\n') {
              return -1;
            }
          }
          case SIZE_LF -> {
            if (c != '\n') {
              return -1;
            }
            digits = 0;
            state = size == 0 ? TRAILER_START : DATA;
          }
          case DATA_CR -> state = c == '\r' ? DATA_LF : -1;
          case DATA_LF -> {
            if (c != '\n') {
              return -1;
            }
            state = SIZE;
          }
          case TRAILER_START -> state = c == '\r' ? LAST_LF : TRAILER;
          case TRAILER -> {
            if (c == '\r') {
              state = TRAILER_LF;
            }
          }
          case TRAILER_LF -> state = c == '\n' ? TRAILER_START : -1;
          case LAST_LF -> state = c == '\n' ? DONE : -1;
          default -> {
            return -1;
          }
        }
        if (state < 0) {
          return -1;
        }
      }
      return i;
    }
  }
}

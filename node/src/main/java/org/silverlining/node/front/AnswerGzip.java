package org.silverlining.node.front;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.silverlining.node.staticfiles.MediaTypes;
import org.silverlining.node.staticfiles.Precompressor;

/**
 * gzip for an app's answers on the byte-level path, by the rules the full server's {@link
 * AppCompression} (Jetty's {@code CompressionHandler}) follows, so that both paths answer alike:
 * which answers are compressed ({@link #applies}), and their body turned into the chunks of one
 * gzip stream, a chunk for what each read from the app brought (flushed, so that a streamed answer
 * keeps flowing). One per app connection, reset for each answer.
 */
final class AnswerGzip {
  /** A gzip member's header: deflate, no name, no time, unknown system. */
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  /** What the full server appends to an {@code ETag} it compresses. */
  static final String ETAG_SUFFIX = "--gzip";

  /** Room kept before the data for its chunk-size line (six hex digits and CRLF at most). */
  private static final int SIZE_LINE = 8;

  /** Room after the data: the gzip trailer, CRLF, and the last chunk. */
  private static final int END = 8 + 2 + 5;

  private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
  private final CRC32 crc = new CRC32();
  private ByteBuffer out;
  private boolean headerSent;

  /**
   * Whether the full server compresses an answer with head {@code a} to a client that accepts gzip:
   * a 2xx but 204 and 205, of a text type (or none), not encoded by the app already, and not known
   * to be shorter than {@link Precompressor#MIN_BYTES}. {@code type}: its Content-Type.
   */
  static boolean applies(ResponseHead a, String type, boolean headRequest) {
    if (headRequest || a.status < 200 || a.status >= 300 || a.status == 204 || a.status == 205) {
      return false;
    }
    if (type != null && !MediaTypes.isCompressible(type)) {
      return false;
    }
    return a.contentEncoding < 0
        && (a.chunked || a.contentLength < 0 || a.contentLength >= Precompressor.MIN_BYTES);
  }

  /** Starts an answer. */
  void begin() {
    deflater.reset();
    crc.reset();
    headerSent = false;
  }

  /** How large a buffer a chunk needs for {@code input} bytes of the answer's body. */
  static int room(int input) {
    // deflate's worst case (zlib's deflateBound): a few bytes per 4 KiB it cannot compress
    return SIZE_LINE + HEADER.length + input + input / 1024 + 64 + END;
  }

  /** Starts a chunk in {@code buffer}, of at least {@link #room} bytes for what it will take. */
  void open(ByteBuffer buffer) {
    out = buffer;
    out.clear();
    out.limit(out.capacity() - END); // the end's room is kept whatever deflate writes
    out.position(SIZE_LINE);
    if (!headerSent) {
      out.put(HEADER);
      headerSent = true;
    }
  }

  /** Compresses {@code length} bytes of the body at {@code from} in {@code b} into the chunk. */
  void take(ByteBuffer b, int from, int length) {
    ByteBuffer in = b.slice(from, length);
    crc.update(in.duplicate());
    deflater.setInput(in);
    while (!deflater.needsInput()) {
      deflate(Deflater.NO_FLUSH);
    }
  }

  /**
   * Ends the chunk — with the end of the gzip stream and the last chunk when {@code last} — and
   * leaves the buffer ready to be written.
   */
  void close(boolean last) {
    if (last) {
      deflater.finish();
      while (!deflater.finished()) {
        deflate(Deflater.NO_FLUSH);
      }
    } else {
      deflate(Deflater.SYNC_FLUSH);
    }
    if (!out.hasRemaining()) {
      throw new IllegalStateException("the compressed answer outgrew its buffer");
    }
    out.limit(out.capacity());
    if (last) {
      out.order(ByteOrder.LITTLE_ENDIAN);
      out.putInt((int) crc.getValue());
      out.putInt((int) deflater.getBytesRead());
      out.order(ByteOrder.BIG_ENDIAN);
    }
    int size = out.position() - SIZE_LINE;
    out.put(ProxyHead.CRLF);
    if (last) {
      out.put(ProxyHead.LAST_CHUNK);
    }
    String hex = Integer.toHexString(size);
    int start = SIZE_LINE - 2 - hex.length();
    for (int i = 0; i < hex.length(); i++) {
      out.put(start + i, (byte) hex.charAt(i));
    }
    out.put(SIZE_LINE - 2, (byte) '\r');
    out.put(SIZE_LINE - 1, (byte) '\n');
    out.flip();
    out.position(start);
  }

  private void deflate(int flush) {
    if (!out.hasRemaining()) {
      throw new IllegalStateException("the compressed answer outgrew its buffer");
    }
    deflater.deflate(out, flush);
  }

  /** {@code etag} as the full server sends it for a compressed answer. */
  static void putEtag(ByteBuffer o, ByteBuffer b, int from, int valueEnd) {
    boolean quoted = valueEnd > from && b.get(valueEnd - 1) == '"';
    int before = quoted ? valueEnd - 1 : valueEnd;
    ProxyHead.copy(o, b, from, before - from);
    ProxyHead.put(o, ETAG_SUFFIX);
    if (quoted) {
      o.put((byte) '"');
    }
    o.put(ProxyHead.CRLF);
  }

  /** Frees the deflater's native memory. */
  void end() {
    deflater.end();
  }
}

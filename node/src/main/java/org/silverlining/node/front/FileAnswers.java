package org.silverlining.node.front;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IO;
import org.silverlining.node.middleware.Header;
import org.silverlining.node.staticfiles.StaticAnswer;

/**
 * Writes the answers {@link org.silverlining.node.staticfiles.StaticResolver} decides on, for the
 * byte-level path: the head and the file's bytes in one gathering write — the whole of a small file
 * from memory, the first part of a large one, whose rest follows with sendfile ({@link
 * FrontConnector.FrontEndPoint#writeFile}). The resolver makes every decision (which file,
 * precompressed or not, 304, ranges); this class only sends.
 *
 * <p>Small files are kept in memory, keyed by path and {@code ETag} (modification time and size),
 * so a changed file is read again; the resolver checks the file's attributes on every request
 * anyway. Opening, reading and closing a 1 KiB file costs more than sending it, and a file up to
 * 128 KiB goes out faster in one gathering write with its head than as a head and a sendfile
 * (measured: 100 KiB at about 0.95 × nginx from memory, 0.5 × with sendfile; docs/benchmarks.md):
 * without TCP_CORK, which Java does not offer, the head leaves as a packet of its own.
 */
final class FileAnswers {
  /** Files up to this size are kept in memory. */
  static final int SMALL = 128 * 1024;

  /** At most this many bytes of small files are kept; past it, the cache starts again. */
  static final long CACHE_BYTES = 8L * 1024 * 1024;

  /**
   * How much of a large file goes out with its head, read into a pooled buffer: about what a socket
   * takes at once, so that the sendfile after it has room to go on.
   */
  static final int FIRST_PART = 32 * 1024;

  private final ByteBufferPool pool;
  private final Map<String, ByteBuffer> cache = new ConcurrentHashMap<>();
  private final AtomicLong cached = new AtomicLong();
  private volatile long dateSecond;
  private volatile String date;

  /** {@code pool}: where the first part of a large file is read into. */
  FileAnswers(ByteBufferPool pool) {
    this.pool = pool;
  }

  /**
   * Sends {@code answer}: its status and headers, {@code toClient}'s in place of those of the same
   * names, and unless {@code headOnly}, its body; then tells {@code done}.
   */
  void send(
      EndPoint client,
      StaticAnswer answer,
      List<Header> toClient,
      boolean close,
      boolean headOnly,
      Callback done) {
    ByteBuffer head = ByteBuffer.wrap(head(answer, toClient, close));
    if (answer.file() == null || headOnly || answer.length() == 0) {
      client.write(done, head);
      return;
    }
    try {
      ByteBuffer small = answer.length() <= SMALL ? small(answer) : null;
      if (small != null) {
        client.write(done, head, small);
      } else if (client instanceof FrontConnector.FrontEndPoint front) {
        sendLarge(front, head, answer, done);
      } else {
        client.write(done, head, read(answer));
      }
    } catch (IOException e) {
      done.failed(e);
    }
  }

  /**
   * Sends a large file: its head and first {@link #FIRST_PART} bytes in one gathering write, so
   * that the head does not leave as a packet of its own, then the rest with sendfile.
   */
  private void sendLarge(
      FrontConnector.FrontEndPoint client, ByteBuffer head, StaticAnswer answer, Callback done)
      throws IOException {
    FileChannel file = FileChannel.open(answer.file(), StandardOpenOption.READ);
    RetainableByteBuffer first = pool.acquire(FIRST_PART, true);
    Callback released =
        Callback.from(
            () -> {
              first.release();
              done.succeeded();
            },
            x -> {
              first.release();
              done.failed(x);
            });
    int n;
    try {
      ByteBuffer b = first.getByteBuffer();
      int pos = BufferUtil.flipToFill(b);
      b.limit(b.position() + (int) Math.min(FIRST_PART, answer.length()));
      while (b.hasRemaining() && file.read(b, answer.offset() + b.position() - pos) > 0) {
        // until the first part is in
      }
      n = b.position() - pos;
      BufferUtil.flipToFlush(b, pos);
    } catch (IOException | RuntimeException e) {
      IO.close(file);
      released.failed(e);
      return;
    }
    client.writeFile(
        released, file, answer.offset() + n, answer.length() - n, head, first.getByteBuffer());
  }

  /** The answer's bytes from memory: the whole file kept, sliced for a range. */
  private ByteBuffer small(StaticAnswer answer) throws IOException {
    String key = answer.file() + " " + answer.header("ETag");
    ByteBuffer whole = cache.get(key);
    if (whole == null) {
      whole = readAll(answer);
      if (whole == null) {
        return null; // it grew past SMALL since the resolver looked
      }
      if (cached.addAndGet(whole.capacity()) > CACHE_BYTES) {
        cache.clear();
        cached.set(whole.capacity());
      }
      cache.put(key, whole);
    }
    if (answer.offset() + answer.length() > whole.capacity()) {
      return read(answer); // it changed within the same second and size: read as it is
    }
    return whole.slice((int) answer.offset(), (int) answer.length());
  }

  private static ByteBuffer readAll(StaticAnswer answer) throws IOException {
    try (FileChannel f = FileChannel.open(answer.file(), StandardOpenOption.READ)) {
      long size = f.size();
      if (size > SMALL) {
        return null;
      }
      ByteBuffer b = ByteBuffer.allocateDirect((int) size);
      while (b.hasRemaining() && f.read(b, b.position()) > 0) {
        // until the whole file is in
      }
      return b.flip().asReadOnlyBuffer();
    }
  }

  private static ByteBuffer read(StaticAnswer answer) throws IOException {
    try (FileChannel f = FileChannel.open(answer.file(), StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate((int) answer.length());
      while (b.hasRemaining() && f.read(b, answer.offset() + b.position()) > 0) {
        // until the range is in
      }
      return b.flip();
    }
  }

  private byte[] head(StaticAnswer answer, List<Header> toClient, boolean close) {
    StringBuilder s = new StringBuilder(384).append("HTTP/1.1 ").append(answer.status());
    s.append(' ').append(HttpStatus.getMessage(answer.status())).append("\r\nDate: ");
    s.append(date()).append("\r\n");
    for (StaticAnswer.Header h : answer.headers()) {
      if (!replaced(h.name(), toClient)) {
        s.append(h.name()).append(": ").append(h.value()).append("\r\n");
      }
    }
    for (Header h : toClient) {
      if (h.value() != null) {
        s.append(h.name()).append(": ").append(h.value()).append("\r\n");
      }
    }
    if (close) {
      s.append("Connection: close\r\n");
    }
    return s.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static boolean replaced(String name, List<Header> toClient) {
    for (Header h : toClient) {
      if (h.name().equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /** The {@code Date} header's value, made once a second. */
  private String date() {
    long now = System.currentTimeMillis();
    long second = now / 1000;
    String d = date;
    if (second != dateSecond || d == null) {
      d = DateGenerator.formatDate(now);
      date = d;
      dateSecond = second;
    }
    return d;
  }
}

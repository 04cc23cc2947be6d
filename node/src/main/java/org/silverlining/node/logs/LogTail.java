package org.silverlining.node.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads a log that {@link RotatingFile} rotates, as {@code tail -n N -F} does: the last lines, from
 * {@code NAME.1} too when the current file holds fewer, then what is appended, following the file
 * through a rotation without losing what was written to it just before. One reader's state; not
 * thread-safe.
 */
public final class LogTail {
  private static final int CHUNK = 1 << 16;

  private final Path file;

  /** The identity (device and inode) of the file read so far, or null before it existed. */
  private Object key;

  private long offset;

  public LogTail(Path file) {
    this.file = file;
  }

  /** Writes the last {@code n} lines to {@code out}; {@link #follow} goes on from there. */
  public void last(int n, OutputStream out) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      key = key(file);
      offset = ch.size();
      byte[] current = lastLines(ch, offset, n);
      int missing = n - lines(current);
      Path older = RotatingFile.rotated(file, 1);
      if (missing > 0 && Files.exists(older)) {
        try (FileChannel old = FileChannel.open(older, StandardOpenOption.READ)) {
          byte[] before = lastLines(old, old.size(), missing);
          out.write(before);
          if (before.length > 0 && before[before.length - 1] != '\n') {
            out.write('\n');
          }
        }
      }
      out.write(current);
    } catch (NoSuchFileException e) {
      // nothing logged yet: follow() starts at the file's beginning once there is one
    }
  }

  /** Writes to {@code out} what was appended since the last call, across a rotation. */
  public void follow(OutputStream out) throws IOException {
    Object now;
    try {
      now = key(file);
    } catch (NoSuchFileException e) {
      return; // between the rename and the new file's creation
    }
    if (key != null && !key.equals(now)) {
      // Rotated: the rest of the file read so far is now NAME.1.
      Path older = RotatingFile.rotated(file, 1);
      try {
        if (key.equals(key(older))) {
          copy(older, out);
        }
      } catch (NoSuchFileException e) {
        // rotated twice since the last call: those lines are only in NAME.2
      }
      offset = 0;
    }
    key = now;
    copy(file, out);
  }

  private void copy(Path from, OutputStream out) throws IOException {
    try (FileChannel ch = FileChannel.open(from, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < offset) {
        offset = 0; // truncated in place
      }
      ByteBuffer buf = ByteBuffer.allocate(CHUNK);
      while (offset < size) {
        buf.clear().limit((int) Math.min(CHUNK, size - offset));
        int read = ch.read(buf, offset);
        if (read <= 0) {
          break;
        }
        out.write(buf.array(), 0, read);
        offset += read;
      }
    }
  }

  /**
   * The last {@code n} lines of {@code ch} before {@code end}, read backwards a chunk at a time.
   */
  static byte[] lastLines(FileChannel ch, long end, int n) throws IOException {
    if (n <= 0 || end == 0) {
      return new byte[0];
    }
    ByteBuffer buf = ByteBuffer.allocate(CHUNK);
    // A final newline ends the last line; the one before the first wanted line is one more.
    buf.limit(1);
    ch.read(buf, end - 1);
    int need = buf.get(0) == '\n' ? n + 1 : n;
    int newlines = 0;
    long start = end;
    search:
    while (start > 0) {
      long from = Math.max(0, start - CHUNK);
      int len = (int) (start - from);
      buf.clear().limit(len);
      while (buf.hasRemaining() && ch.read(buf, from + buf.position()) > 0) {}
      for (int i = len - 1; i >= 0; i--) {
        if (buf.get(i) == '\n' && ++newlines == need) {
          start = from + i + 1;
          break search;
        }
      }
      start = from;
    }
    ByteBuffer out = ByteBuffer.allocate((int) (end - start));
    while (out.hasRemaining() && ch.read(out, start + out.position()) > 0) {}
    return out.array();
  }

  private static int lines(byte[] text) {
    int count = 0;
    for (byte b : text) {
      if (b == '\n') {
        count++;
      }
    }
    return text.length > 0 && text[text.length - 1] != '\n' ? count + 1 : count;
  }

  private static Object key(Path p) throws IOException {
    return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
  }
}

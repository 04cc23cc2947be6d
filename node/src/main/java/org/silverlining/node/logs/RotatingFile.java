package org.silverlining.node.logs;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * An append-only log file that rotates by size under {@link LogLimits}: before a write that would
 * take it past {@code maxBytes}, the file is closed and renamed to {@code NAME.1} (older ones shift
 * up, the one past {@code keep} is deleted) and a new one is opened. A line is never split between
 * two files, and none is lost: rotation happens between writes, on the writer's thread. Not
 * thread-safe: its owner serializes writes.
 */
public final class RotatingFile implements AutoCloseable {
  private final Path file;
  private final LogLimits limits;
  private OutputStream out;
  private long size;

  public RotatingFile(Path file, LogLimits limits) throws IOException {
    this.file = file;
    this.limits = limits;
    Files.createDirectories(file.getParent());
    open();
  }

  public Path file() {
    return file;
  }

  /** Appends {@code text} (whole lines), rotating first if it would not fit. Buffered. */
  public void write(String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (size > 0 && size + bytes.length > limits.maxBytes()) {
      rotate();
    }
    out.write(bytes);
    size += bytes.length;
  }

  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  /**
   * Appends {@code text} to {@code file} and closes it again, rotating first as a {@link
   * RotatingFile} does: for logs written now and then (a cron run), not held open. The caller
   * serializes writes to one file.
   */
  public static void appendOnce(Path file, String text, LogLimits limits) throws IOException {
    try (RotatingFile f = new RotatingFile(file, limits)) {
      f.write(text);
    }
  }

  private void open() throws IOException {
    out =
        new BufferedOutputStream(
            Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
            1 << 16);
    size = Files.size(file);
  }

  private void rotate() throws IOException {
    out.close();
    shift(file, limits.keep());
    open();
  }

  /**
   * Renames {@code file} to {@code file.1}, {@code .1} to {@code .2}..., dropping {@code .keep}.
   */
  static void shift(Path file, int keep) throws IOException {
    // from keep on: .keep is replaced below, and any beyond it were kept under a larger keep
    for (int i = keep; Files.deleteIfExists(rotated(file, i)); i++) {}
    for (int i = keep - 1; i >= 1; i--) {
      Path older = rotated(file, i);
      if (Files.exists(older)) {
        Files.move(older, rotated(file, i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (Files.exists(file)) {
      Files.move(file, rotated(file, 1), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** {@code NAME.i}: the {@code i}-th newest rotated copy of {@code file}. */
  public static Path rotated(Path file, int i) {
    return file.resolveSibling(file.getFileName() + "." + i);
  }
}

package org.silverlining.node.logs;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * An application's output file, {@code logs/apps/APP/app.log}: one timestamped line per line its
 * processes print, tagged with the process. When the file passes {@code maxBytes} it is rotated to
 * {@code app.log.1} (and older ones shifted), keeping {@code keep} files.
 */
public final class AppLog implements AutoCloseable {
  public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
  public static final int DEFAULT_KEEP = 3;

  private final Path file;
  private final long maxBytes;
  private final int keep;
  private BufferedWriter out;
  private long size;

  public AppLog(Path file, long maxBytes, int keep) throws IOException {
    this.file = file;
    this.maxBytes = maxBytes;
    this.keep = keep;
    Files.createDirectories(file.getParent());
    open();
  }

  private void open() throws IOException {
    out =
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    size = Files.size(file);
  }

  public Path file() {
    return file;
  }

  /** Appends {@code line} from {@code source}; flushed at once so that {@code logs} sees it. */
  public synchronized void write(String source, String line) {
    String text = Instant.now().truncatedTo(ChronoUnit.MILLIS) + " [" + source + "] " + line + "\n";
    try {
      if (size + text.length() > maxBytes) {
        rotate();
      }
      out.write(text);
      out.flush();
      size += text.getBytes(StandardCharsets.UTF_8).length;
    } catch (IOException e) {
      // A full disk must not take the app down with it; the line is lost, the app goes on.
    }
  }

  private void rotate() throws IOException {
    out.close();
    for (int i = keep - 1; i >= 1; i--) {
      Path older = file.resolveSibling(file.getFileName() + "." + i);
      if (Files.exists(older)) {
        Files.move(
            older,
            file.resolveSibling(file.getFileName() + "." + (i + 1)),
            StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(
        file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
    Files.deleteIfExists(file.resolveSibling(file.getFileName() + "." + (keep + 1)));
    open();
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}

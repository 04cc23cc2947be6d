package org.silverlining.node.logs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * An application's output file, {@code logs/apps/APP/app.log}: one timestamped line per line its
 * processes print, tagged with the process. The node reads the processes' output and writes this
 * file itself, so it rotates under {@link LogLimits} while the processes go on printing.
 */
public final class AppLog implements AutoCloseable {
  private final RotatingFile out;

  public AppLog(Path file, LogLimits limits) throws IOException {
    out = new RotatingFile(file, limits);
  }

  public Path file() {
    return out.file();
  }

  /** Appends {@code line} from {@code source}; flushed at once so that {@code logs} sees it. */
  public synchronized void write(String source, String line) {
    String text = Instant.now().truncatedTo(ChronoUnit.MILLIS) + " [" + source + "] " + line + "\n";
    try {
      out.write(text);
      out.flush();
    } catch (IOException e) {
      // A full disk must not take the app down with it; the line is lost, the app goes on.
    }
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}

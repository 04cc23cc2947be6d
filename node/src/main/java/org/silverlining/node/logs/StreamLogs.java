package org.silverlining.node.logs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import org.silverlining.node.layout.NodeLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's own lines about an app, one file per stream in the app's log folder: {@code
 * logs/apps/APP/update.log} (the stages and outcome of each update, rollback, activation and
 * restore), {@code tasks.log} (the outcome of each task delivery) and {@code errors.log} (each new
 * error group of a deployment). Each line is timestamped and appended through a {@link
 * RotatingFile} under the node's {@link LogLimits}; the file is not held open between lines.
 */
public final class StreamLogs {
  private static final Logger log = LoggerFactory.getLogger(StreamLogs.class);

  public static final String UPDATE = "update";
  public static final String TASKS = "tasks";
  public static final String ERRORS = "errors";

  /** Writes nothing (for parts used without a node around them). */
  public static final StreamLogs NONE = new StreamLogs(null, LogLimits.DEFAULT);

  private final NodeLayout layout;
  private final LogLimits limits;

  public StreamLogs(NodeLayout layout, LogLimits limits) {
    this.layout = layout;
    this.limits = limits;
  }

  /** The file of {@code app}'s {@code stream}. */
  public Path file(String app, String stream) {
    return layout.appLogsDir(app).resolve(stream + ".log");
  }

  /** Appends {@code line} (made one line) to {@code app}'s {@code stream}, timestamped. */
  public void write(String app, String stream, String line) {
    if (layout == null || app == null) {
      return;
    }
    Path file = file(app, stream);
    String text =
        Instant.now().truncatedTo(ChronoUnit.MILLIS)
            + " "
            + line.replace('\r', ' ').replace('\n', ' ').strip()
            + "\n";
    try {
      synchronized (this) { // one writer at a time keeps rotation and lines whole
        RotatingFile.appendOnce(file, text, limits);
      }
    } catch (IOException e) {
      // a full disk must not fail the operation the line is about
      log.warn("cannot write {}: {}", file, e.toString());
    }
  }

  /** Where lines for {@code app}'s {@code stream} go. */
  public Consumer<String> to(String app, String stream) {
    return line -> write(app, stream, line);
  }
}

package org.silverlining.node.logs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;

/**
 * {@code logs/access.log}: one line per request — time, client, host, request line, status, bytes,
 * milliseconds, and the instance that answered ({@code -} when the front answered itself).
 *
 * <p>Request threads only format a line and hand it over; one writer thread writes lines in
 * batches, at most one per {@link #PAUSE_MILLIS}, and flushes when it has caught up. No lock and no
 * disk write sit on the request path. When the writer falls behind by {@link #QUEUE_LINES} lines,
 * new lines are dropped and counted, rather than slowing every request down. The file rotates under
 * {@link LogLimits} on the writer thread, between two lines, so rotating costs a request nothing
 * and loses no line.
 */
public final class AccessLog implements RequestLog, AutoCloseable {
  static final int QUEUE_LINES = 65_536;
  private static final int BATCH = 1024;
  private static final long PAUSE_MILLIS = 10;
  private static final long IDLE_PAUSE_MILLIS = 50;

  private final RotatingFile out;
  private final Function<Request, String> instanceOf;
  // Lock-free: a lock shared by the front's threads and the writer cost a twentieth of each
  // request.
  private final Queue<String> lines = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final LongAdder dropped = new LongAdder();
  private final Thread writer;
  private volatile boolean open = true;
  private volatile Second second = new Second(Long.MIN_VALUE, "");

  /** A second's time stamp up to its milliseconds, e.g. {@code 2026-12-08T01:20:36.}. */
  private record Second(long epochSecond, String text) {}

  /**
   * An access log written to {@code file} within {@code limits}; {@code instanceOf} names the
   * instance that answered a request, or null when the front answered itself.
   */
  public AccessLog(Path file, LogLimits limits, Function<Request, String> instanceOf)
      throws IOException {
    this.instanceOf = instanceOf;
    out = new RotatingFile(file, limits);
    writer = new Thread(this::writeLines, "access-log");
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public void log(Request request, Response response) {
    log(
        Request.getRemoteAddr(request),
        Request.getServerName(request),
        request.getMethod(),
        request.getHttpURI().getPathQuery(),
        request.getConnectionMetaData().getProtocol(),
        response.getStatus(),
        Response.getContentBytesWritten(response),
        request.getBeginNanoTime(),
        instanceOf.apply(request));
  }

  /**
   * Logs one request, however the front answered it: {@code beginNanos} is when it arrived ({@link
   * System#nanoTime()}), {@code instance} the instance that answered or null.
   */
  public void log(
      String remote,
      String host,
      String method,
      String pathQuery,
      String protocol,
      int status,
      long bytes,
      long beginNanos,
      String instance) {
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - beginNanos);
    StringBuilder line = new StringBuilder(160);
    appendTime(line, System.currentTimeMillis());
    line.append(' ')
        .append(remote)
        .append(' ')
        .append(host)
        .append(" \"")
        .append(method)
        .append(' ')
        .append(withoutValues(pathQuery))
        .append(' ')
        .append(protocol)
        .append("\" ")
        .append(status)
        .append(' ')
        .append(bytes)
        .append(' ')
        .append(millis)
        .append("ms ")
        .append(instance == null ? "-" : instance)
        .append('\n');
    if (queued.incrementAndGet() > QUEUE_LINES) {
      queued.decrementAndGet();
      dropped.increment();
    } else {
      lines.offer(line.toString());
    }
  }

  /**
   * Appends {@code millis} as {@code 2026-12-08T01:20:36.123Z}: the second's part is formatted once
   * per second, not per line (per line it was a twentieth of the front's time per request).
   */
  void appendTime(StringBuilder line, long millis) {
    long epochSecond = Math.floorDiv(millis, 1000);
    Second s = second;
    if (s.epochSecond() != epochSecond) {
      String whole = java.time.Instant.ofEpochSecond(epochSecond).toString(); // ...:36Z
      s = new Second(epochSecond, whole.substring(0, whole.length() - 1) + '.');
      second = s;
    }
    int ms = (int) Math.floorMod(millis, 1000L);
    line.append(s.text())
        .append((char) ('0' + ms / 100))
        .append((char) ('0' + ms / 10 % 10))
        .append((char) ('0' + ms % 10))
        .append('Z');
  }

  private void writeLines() {
    while (open || !lines.isEmpty()) {
      int written = 0;
      try {
        for (String l; written < BATCH && (l = lines.poll()) != null; ) {
          written++;
          out.write(l);
        }
        if (written < BATCH) {
          long lost = dropped.sumThenReset();
          if (lost > 0) {
            out.write("# " + lost + " lines dropped: the log could not keep up\n");
          }
          out.flush();
          // Lines that arrive meanwhile wait for the next batch: at a steady stream of requests
          // the writer wakes once per pause, not once per line.
          Thread.sleep(written == 0 ? IDLE_PAUSE_MILLIS : PAUSE_MILLIS);
        }
      } catch (InterruptedException e) {
        open = false;
      } catch (IOException e) {
        // a full disk must not stop the front; the line being written is lost
      } finally {
        queued.addAndGet(-written);
      }
    }
  }

  /** Writes what is queued and closes the file. */
  @Override
  public void close() {
    open = false;
    try {
      writer.join(2000);
      out.close();
    } catch (InterruptedException | IOException e) {
      // closing at shutdown
    }
  }

  /**
   * {@code pathQuery} with the value of every {@code value} parameter replaced by {@code -}: the
   * management API takes configuration values (secret ones too) as that parameter, and no secret
   * goes into a log.
   */
  static String withoutValues(String pathQuery) {
    int q = pathQuery.indexOf('?');
    if (q < 0 || !pathQuery.contains("value=")) {
      return pathQuery;
    }
    StringBuilder out = new StringBuilder(pathQuery.substring(0, q + 1));
    String[] params = pathQuery.substring(q + 1).split("&", -1);
    for (int i = 0; i < params.length; i++) {
      if (i > 0) {
        out.append('&');
      }
      out.append(params[i].startsWith("value=") ? "value=-" : params[i]);
    }
    return out.toString();
  }
}

package org.silverlining.node.dashboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.silverlining.node.logs.LogTail;

/**
 * An app's log as server-sent events, as {@code silver logs --follow} reads it ({@link LogTail}):
 * the last {@link #BACKLOG} lines, then each new line as it is written, one event a line. A comment
 * every {@link #KEEPALIVE_MILLIS} finds a reader that has gone, which ends the stream. The session
 * is checked every {@link #SESSION_CHECK_MILLIS}: once it has ended (logout, a timeout, its user
 * removed) the stream ends with an {@code event: end}, so a page left open stops receiving the log.
 */
final class LogEvents {
  static final int BACKLOG = 100;
  static final long POLL_MILLIS = 200;
  static final long KEEPALIVE_MILLIS = 15_000;
  static final long SESSION_CHECK_MILLIS = 1_000;
  static final String MEDIA_TYPE = "text/event-stream";

  private LogEvents() {}

  /** Where the page's script reads the live log of {@code app}. */
  static String path(String app) {
    return "/apps/" + AppPage.url(app) + "/log";
  }

  /**
   * Sends the log read by {@code tail} to {@code out} until the session ends ({@code live} says
   * false), writing fails (the reader went away) or the thread is interrupted.
   */
  static void stream(LogTail tail, OutputStream out, java.util.function.BooleanSupplier live)
      throws IOException, InterruptedException {
    Events events = new Events(out);
    out.write("retry: 2000\n\n".getBytes(StandardCharsets.US_ASCII));
    tail.last(BACKLOG, events);
    events.endOfBatch();
    long quiet = 0;
    long unchecked = 0;
    while (!Thread.currentThread().isInterrupted()) {
      Thread.sleep(POLL_MILLIS);
      if ((unchecked += POLL_MILLIS) >= SESSION_CHECK_MILLIS) {
        unchecked = 0;
        if (!live.getAsBoolean()) {
          out.write(END_EVENT);
          out.flush();
          return;
        }
      }
      int before = events.sent;
      tail.follow(events);
      if (events.sent != before) {
        quiet = 0;
      } else if ((quiet += POLL_MILLIS) >= KEEPALIVE_MILLIS) {
        out.write(":\n\n".getBytes(StandardCharsets.US_ASCII));
        quiet = 0;
      }
      events.endOfBatch();
    }
  }

  /** Tells the page the session has ended: it stops reconnecting. */
  static final byte[] END_EVENT =
      "event: end\ndata: the session has ended\n\n".getBytes(StandardCharsets.US_ASCII);

  /** The bytes of a log cut into lines, each written to {@code out} as one event. */
  static final class Events extends OutputStream {
    private final OutputStream out;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private int sent;

    Events(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      if (b == '\n') {
        send();
      } else if (b != '\r') {
        line.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      for (int i = off; i < off + len; i++) {
        write(b[i]);
      }
    }

    private void send() throws IOException {
      out.write(DATA);
      line.writeTo(out);
      out.write(END);
      line.reset();
      sent++;
    }

    /** Flushes what was sent; a line not ended yet waits for its end. */
    void endOfBatch() throws IOException {
      out.flush();
    }

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  }
}

package org.silverlining.cli;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the bytes of a stream and, on a terminal, shows them once a second on one line ({@code
 * received 120.0 MiB}), so that a long backup or restore is seen to move; while none has come yet,
 * what is being waited for and for how long ({@code the node is writing the backup (12 s)}). Off a
 * terminal it prints nothing.
 */
final class TransferMeter implements AutoCloseable {
  private final AtomicLong bytes = new AtomicLong();
  private final String waiting;
  private final String verb;
  private final StatusLine status;

  private TransferMeter(String waiting, String verb, PrintStream out) {
    this.waiting = waiting;
    this.verb = verb;
    this.status = StatusLine.start(out, millis -> line(bytes.get(), millis));
  }

  /** A meter that shows {@code verb} (received, sent) and the count on {@code out}'s terminal. */
  static TransferMeter start(String verb, PrintStream out) {
    return start(null, verb, out);
  }

  /**
   * As {@link #start(String, PrintStream)}, showing {@code waiting} (unless null) with the seconds
   * gone until the first byte is counted; with {@code verb} null, only that.
   */
  static TransferMeter start(String waiting, String verb, PrintStream out) {
    return new TransferMeter(waiting, verb, out);
  }

  /** What the meter shows with {@code count} bytes counted, {@code millis} after it started. */
  String line(long count, long millis) {
    if (waiting != null && (count == 0 || verb == null)) {
      return waiting + " (" + millis / 1000 + " s)";
    }
    return verb + " " + BackupsCommand.size(count);
  }

  /** {@code in}, counted. */
  InputStream count(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
          bytes.incrementAndGet();
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
          bytes.addAndGet(n);
        }
        return n;
      }
    };
  }

  /** {@code body}, counted as it is written. */
  ApiClient.Body count(ApiClient.Body body) {
    return new ApiClient.Body() {
      @Override
      public long length() {
        return body.length();
      }

      @Override
      public void writeTo(OutputStream out) throws IOException {
        body.writeTo(
            new FilterOutputStream(out) {
              @Override
              public void write(int b) throws IOException {
                out.write(b);
                bytes.incrementAndGet();
              }

              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                bytes.addAndGet(len);
              }
            });
      }
    };
  }

  @Override
  public void close() {
    status.close();
  }
}

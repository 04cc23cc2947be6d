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
 * received 120.0 MiB}), so that a long backup or restore is seen to move. Off a terminal it prints
 * nothing.
 */
final class TransferMeter implements AutoCloseable {
  private static final long PERIOD_MILLIS = 1000;
  private final AtomicLong bytes = new AtomicLong();
  private final Thread ticker;
  private final PrintStream out;
  private volatile boolean shown;

  private TransferMeter(String verb, PrintStream out, boolean terminal) {
    this.out = out;
    if (!terminal) {
      ticker = null;
      return;
    }
    ticker =
        new Thread(
            () -> {
              try {
                while (true) {
                  Thread.sleep(PERIOD_MILLIS);
                  out.print("\r  " + verb + " " + BackupsCommand.size(bytes.get()) + "   ");
                  out.flush();
                  shown = true;
                }
              } catch (InterruptedException e) {
                // closed
              }
            },
            "transfer-meter");
    ticker.setDaemon(true);
    ticker.start();
  }

  /** A meter that shows {@code verb} (received, sent) and the count on {@code out}'s terminal. */
  static TransferMeter start(String verb, PrintStream out) {
    return new TransferMeter(verb, out, System.console() != null);
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
  public synchronized void close() {
    if (ticker != null && ticker.isAlive()) {
      ticker.interrupt();
      try {
        ticker.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (shown) {
        out.print("\r" + " ".repeat(40) + "\r");
        out.flush();
      }
    }
  }
}

package org.silverlining.node.backupformat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files of a backup folder as they arrive, for a restore that loads them while they are still
 * being received: a reader waits for a file to start, reads it as it is written, and sees its end
 * only when the file is complete. {@link #of} gives the same view of a folder that is all there.
 *
 * <p>The receiver calls {@link #started}, {@link #wrote} (after the bytes are in the file, not in a
 * buffer) and {@link #ended} for each file, then {@link #finished} or {@link #failed}. Paths are
 * absolute and normalized on both sides.
 */
public final class Arrivals {
  private final Map<Path, Long> written = new HashMap<>();
  private final Set<Path> ended = new HashSet<>();
  private final List<Path> order = new ArrayList<>();
  private boolean finished;
  private IOException failure;

  /** A folder whose files are all there. */
  public static Arrivals of(Path dir) throws IOException {
    Arrivals a = new Arrivals();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        a.started(p);
        a.wrote(p, Files.size(p));
        a.ended(p);
      }
    }
    a.finished();
    return a;
  }

  /** A folder that is about to arrive. */
  public static Arrivals expected() {
    return new Arrivals();
  }

  private Arrivals() {}

  // ---- the receiver's side

  public synchronized void started(Path file) {
    Path f = key(file);
    written.put(f, 0L);
    order.add(f);
    notifyAll();
  }

  public synchronized void wrote(Path file, long total) {
    written.put(key(file), total);
    notifyAll();
  }

  public synchronized void ended(Path file) {
    ended.add(key(file));
    notifyAll();
  }

  /** Everything arrived. */
  public synchronized void finished() {
    finished = true;
    notifyAll();
  }

  /** The receive stopped: every reader waiting or reading fails with {@code why}. */
  public synchronized void failed(IOException why) {
    failure = why;
    finished = true;
    notifyAll();
  }

  // ---- the reader's side

  /**
   * Waits until {@code file} has arrived whole; false when everything arrived without it. Throws
   * when the receive failed.
   */
  public synchronized boolean awaitWhole(Path file) throws IOException {
    Path f = key(file);
    while (!ended.contains(f)) {
      check();
      if (finished) {
        return false;
      }
      await();
    }
    return true;
  }

  /** The files under {@code dir} in the order they start arriving, from the first. */
  public Cursor under(Path dir) {
    return new Cursor(key(dir));
  }

  /** Goes through the files under a folder as they start arriving, each once. */
  public final class Cursor {
    private final Path dir;
    private int next;

    private Cursor(Path dir) {
      this.dir = dir;
    }

    /** Waits for the next file under the folder; null when everything arrived. */
    public Path next() throws IOException {
      synchronized (Arrivals.this) {
        while (true) {
          check();
          while (next < order.size()) {
            Path f = order.get(next++);
            if (f.startsWith(dir)) {
              return f;
            }
          }
          if (finished) {
            return null;
          }
          await();
        }
      }
    }
  }

  /**
   * Reads {@code file}, which has started arriving, as it is written: a read waits for more bytes,
   * and the end comes when the file is whole.
   */
  public InputStream open(Path file) throws IOException {
    Path f = key(file);
    FileChannel ch = FileChannel.open(f);
    return new InputStream() {
      private long pos;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        long available = waitFor(f, pos);
        if (available <= 0) {
          return -1;
        }
        int n = ch.read(ByteBuffer.wrap(b, off, (int) Math.min(len, available)), pos);
        if (n > 0) {
          pos += n;
        }
        return n;
      }

      @Override
      public void close() throws IOException {
        ch.close();
      }
    };
  }

  /** Bytes of {@code f} written beyond {@code pos}, once there are any; 0 at its end. */
  private synchronized long waitFor(Path f, long pos) throws IOException {
    while (true) {
      check();
      long w = written.getOrDefault(f, 0L);
      if (w > pos) {
        return w - pos;
      }
      if (ended.contains(f)) {
        return 0;
      }
      if (finished) {
        throw new IOException(f + " stopped arriving");
      }
      await();
    }
  }

  private void check() throws IOException {
    if (failure != null) {
      throw new IOException("the backup stopped arriving: " + failure.getMessage(), failure);
    }
  }

  private void await() throws IOException {
    try {
      wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the backup to arrive", e);
    }
  }

  private static Path key(Path p) {
    return p.toAbsolutePath().normalize();
  }
}

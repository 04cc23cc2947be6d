package org.silverlining.node.front;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IO;

/**
 * The front's plain-HTTP connector: a selector per core, as nginx has a worker per core, and end
 * points that know their selector, so that the byte-level proxy can open a client's connection to
 * its app on the same selector thread (no hand-off between threads within an exchange).
 */
public final class FrontConnector extends ServerConnector {
  public FrontConnector(Server server, ConnectionFactory... factories) {
    super(server, -1, Runtime.getRuntime().availableProcessors(), factories);
  }

  @Override
  protected SocketChannelEndPoint newEndPoint(
      SocketChannel channel, ManagedSelector selector, SelectionKey key) {
    SocketChannelEndPoint endPoint = new FrontEndPoint(channel, selector, key, getScheduler());
    endPoint.setIdleTimeout(getIdleTimeout());
    return endPoint;
  }

  /**
   * A connection's end point, with the selector that serves it, and file regions written with
   * {@link FileChannel#transferTo} (sendfile): the file's bytes go from the page cache to the
   * socket without passing through the JVM, paced by Jetty's write flusher like any other write.
   */
  static final class FrontEndPoint extends SocketChannelEndPoint {
    final ManagedSelector selector;
    private FileRegion region;

    FrontEndPoint(
        SocketChannel channel,
        ManagedSelector selector,
        SelectionKey key,
        org.eclipse.jetty.util.thread.Scheduler scheduler) {
      super(channel, selector, key, scheduler);
      this.selector = selector;
    }

    /**
     * Writes {@code before} (in one gathering write), then {@code length} bytes of {@code file}
     * from {@code offset}; closes the file once done or failed, then tells {@code callback}.
     */
    void writeFile(
        Callback callback, FileChannel file, long offset, long length, ByteBuffer... before) {
      FileRegion r = new FileRegion(file, offset, length);
      region = r;
      ByteBuffer[] all = Arrays.copyOf(before, before.length + 1);
      all[before.length] = r.marker;
      write(Callback.from(() -> IO.close(file), callback), all);
    }

    @Override
    public boolean flush(ByteBuffer... buffers) throws IOException {
      FileRegion r = region;
      int n = buffers.length;
      if (r == null || n == 0 || buffers[n - 1] != r.marker) {
        return super.flush(buffers);
      }
      if (n > 1 && !super.flush(Arrays.copyOf(buffers, n - 1))) {
        return false;
      }
      SocketChannel socket = getChannel();
      long sent = 0;
      for (long w; r.left > 0 && (w = r.file.transferTo(r.position, r.left, socket)) > 0; ) {
        r.position += w;
        r.left -= w;
        sent += w;
      }
      if (sent > 0) {
        notIdle();
      } else if (r.left > 0 && r.file.size() <= r.position) {
        throw new EofException("the file got shorter while it was being sent");
      }
      if (r.left > 0) {
        return false;
      }
      r.marker.position(r.marker.limit());
      region = null;
      return true;
    }
  }

  /** A file's bytes still to send, and the buffer that stands for them in a write. */
  private static final class FileRegion {
    final FileChannel file;
    final ByteBuffer marker = ByteBuffer.allocate(1);
    long position;
    long left;

    FileRegion(FileChannel file, long position, long left) {
      this.file = file;
      this.position = position;
      this.left = left;
    }
  }
}

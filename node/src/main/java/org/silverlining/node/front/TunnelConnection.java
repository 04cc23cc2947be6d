package org.silverlining.node.front;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.FutureCallback;

/**
 * Takes over a client connection after an upgrade (WebSocket and the like) and copies bytes both
 * ways between it and the app's socket until either side closes. Client to app is driven by Jetty's
 * selector; app to client by one thread per tunnel, which reads the app's socket.
 */
final class TunnelConnection extends AbstractConnection implements Connection.UpgradeTo {
  /** Upgraded connections are long-lived and often quiet. */
  static final long IDLE_TIMEOUT_MILLIS = 60L * 60 * 1000;

  private static final int BUFFER = 16 * 1024;
  private final Socket app;
  private final InputStream fromApp;
  private final OutputStream toApp;
  private final ByteBuffer fromAppAlready;
  private ByteBuffer fromClientAlready;

  TunnelConnection(EndPoint client, Executor executor, Socket app, ByteBuffer fromAppAlready)
      throws IOException {
    super(client, executor);
    this.app = app;
    this.fromApp = app.getInputStream();
    this.toApp = app.getOutputStream();
    this.fromAppAlready = fromAppAlready;
  }

  @Override
  public void onUpgradeTo(ByteBuffer buffer) {
    fromClientAlready = buffer == null ? null : BufferUtil.copy(buffer);
  }

  @Override
  public void onOpen() {
    super.onOpen();
    getEndPoint().setIdleTimeout(IDLE_TIMEOUT_MILLIS);
    try {
      if (fromClientAlready != null) {
        writeToApp(fromClientAlready);
      }
    } catch (IOException e) {
      close();
      return;
    }
    Thread reader =
        new Thread(this::copyAppToClient, "tunnel " + getEndPoint().getRemoteSocketAddress());
    reader.setDaemon(true);
    reader.start();
    fillInterested();
  }

  private void copyAppToClient() {
    byte[] buf = new byte[BUFFER];
    try {
      if (fromAppAlready != null && fromAppAlready.hasRemaining()) {
        writeToClient(fromAppAlready);
      }
      for (int n; (n = fromApp.read(buf)) >= 0; ) {
        writeToClient(ByteBuffer.wrap(buf, 0, n));
      }
      getEndPoint().shutdownOutput();
    } catch (Exception e) {
      getEndPoint().close(e);
    }
  }

  private void writeToClient(ByteBuffer buf) throws Exception {
    FutureCallback done = new FutureCallback();
    getEndPoint().write(done, buf);
    done.get();
  }

  private void writeToApp(ByteBuffer buf) throws IOException {
    byte[] bytes = new byte[buf.remaining()];
    buf.get(bytes);
    toApp.write(bytes);
    toApp.flush();
  }

  @Override
  public void onFillable() {
    ByteBuffer buf = BufferUtil.allocate(BUFFER);
    try {
      while (true) {
        BufferUtil.clear(buf); // Jetty's fill() appends between limit and capacity
        int n = getEndPoint().fill(buf);
        if (n > 0) {
          toApp.write(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
          toApp.flush();
        } else if (n == 0) {
          fillInterested();
          return;
        } else {
          app.shutdownOutput();
          return;
        }
      }
    } catch (IOException e) {
      close();
    }
  }

  @Override
  public void onClose(Throwable cause) {
    super.onClose(cause);
    try {
      app.close();
    } catch (IOException e) {
      // already closed
    }
  }
}

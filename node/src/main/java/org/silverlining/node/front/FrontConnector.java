package org.silverlining.node.front;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

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

  /** A connection's end point, with the selector that serves it. */
  static final class FrontEndPoint extends SocketChannelEndPoint {
    final ManagedSelector selector;

    FrontEndPoint(
        SocketChannel channel,
        ManagedSelector selector,
        SelectionKey key,
        org.eclipse.jetty.util.thread.Scheduler scheduler) {
      super(channel, selector, key, scheduler);
      this.selector = selector;
    }
  }
}

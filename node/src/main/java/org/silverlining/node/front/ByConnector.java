package org.silverlining.node.front;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/** Sends requests from the admin connector to the API, all others to the front. */
public final class ByConnector extends Handler.Abstract {
  private final Handler front;
  private final Handler admin;
  private final ServerConnector adminConnector;

  public ByConnector(Handler front, Handler admin, ServerConnector adminConnector) {
    this.front = front;
    this.admin = admin;
    this.adminConnector = adminConnector;
    addBean(front);
    addBean(admin);
  }

  @Override
  public void setServer(Server server) {
    super.setServer(server);
    front.setServer(server);
    admin.setServer(server);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Handler h = request.getConnectionMetaData().getConnector() == adminConnector ? admin : front;
    return h.handle(request, response, callback);
  }
}

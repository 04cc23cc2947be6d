package org.silverlining.node.front;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Decides which location and instance a request is for and leaves the decision as the {@link
 * RouteMatch#ATTRIBUTE} attribute. It never answers itself: the handlers after it do, including the
 * not-found page when nothing matched.
 */
public final class LocationRouter extends Handler.Wrapper {
  private final Routing routing;

  public LocationRouter(Routing routing, Handler next) {
    super(next);
    this.routing = routing;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = request.getHttpURI().getCanonicalPath();
    routing
        .table()
        .match(
            Request.getServerName(request),
            Request.getServerPort(request),
            path == null ? "/" : path)
        .ifPresent(m -> request.setAttribute(RouteMatch.ATTRIBUTE, m));
    return super.handle(request, response, callback);
  }
}

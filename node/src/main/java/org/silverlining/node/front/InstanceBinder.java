package org.silverlining.node.front;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Turns the router's decision into a live instance for the handlers after it: answers the disabled
 * page for a disabled app, the not-found page when no location matched, and waits — without holding
 * a thread — when the instance must be started first (a {@code prev.} host).
 */
public final class InstanceBinder extends Handler.Wrapper {
  private final Routing routing;
  private final InstanceSource instances;

  public InstanceBinder(Routing routing, InstanceSource instances, Handler next) {
    super(next);
    this.routing = routing;
    this.instances = instances;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!(request.getAttribute(RouteMatch.ATTRIBUTE) instanceof RouteMatch routerMatch)) {
      Pages.notFound(response, callback, Request.getServerName(request));
      return true;
    }
    RouteMatch match = routerMatch;
    if (routing.isDisabled(match.route().app())) {
      request.setAttribute(ErrorPageResponse.LEAVE, Boolean.TRUE); // on purpose: not an error
      Pages.disabled(response, callback);
      return true;
    }
    if (!match.previous() && !instances.isRunning(match.instance())) {
      // Routed just before a switch whose old instance has stopped since: route again rather
      // than start the old one.
      match = routeAgain(request, match);
      request.setAttribute(RouteMatch.ATTRIBUTE, match);
    }
    RouteMatch routed = match;
    instances
        .live(routed.instance())
        .whenComplete(
            (live, failure) -> {
              if (failure != null) {
                Pages.unavailable(
                    response,
                    callback,
                    "The application could not be started: " + failure.getMessage());
                return;
              }
              request.setAttribute(LiveInstance.ATTRIBUTE, live);
              try {
                if (!super.handle(request, response, callback)) {
                  Pages.notFound(response, callback, Request.getServerName(request));
                }
              } catch (Throwable t) {
                callback.failed(t);
              }
            });
    return true;
  }

  private RouteMatch routeAgain(Request request, RouteMatch match) {
    String path = request.getHttpURI().getCanonicalPath();
    return routing
        .table()
        .match(
            Request.getServerName(request),
            Request.getServerPort(request),
            path == null ? "/" : path)
        .orElse(match);
  }
}

package org.silverlining.node.front;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Sends a request to one of the live instance's processes and streams the answer back, without
 * holding a thread while either side waits (Jetty's asynchronous {@link ProxyHandler}, with
 * keep-alive pools per process). The matched prefix is taken off the path and passed as {@code
 * X-Forwarded-Prefix}, with {@code X-Forwarded-For/Proto/Host}.
 */
public final class AppProxyHandler extends ProxyHandler {
  /** Idle keep-alive connections to apps are closed before apps close them (most wait ≥ 30 s). */
  static final long UPSTREAM_IDLE_MILLIS = 20_000;

  static final long UPSTREAM_CONNECT_MILLIS = 5_000;
  static final int MAX_CONNECTIONS_PER_PROCESS = 2048;

  @Override
  protected HttpClient newHttpClient() {
    HttpClient client = new HttpClient();
    client.setExecutor(getServer().getThreadPool());
    client.setMaxConnectionsPerDestination(MAX_CONNECTIONS_PER_PROCESS);
    client.setIdleTimeout(UPSTREAM_IDLE_MILLIS);
    client.setConnectTimeout(UPSTREAM_CONNECT_MILLIS);
    return client;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!(request.getAttribute(LiveInstance.ATTRIBUTE) instanceof LiveInstance live)
        || live.processes() == null) {
      return false;
    }
    live.processes().acquire();
    Callback done =
        new Callback.Nested(callback) {
          @Override
          public void succeeded() {
            live.processes().release();
            super.succeeded();
          }

          @Override
          public void failed(Throwable x) {
            live.processes().release();
            super.failed(x);
          }
        };
    return super.handle(request, response, done);
  }

  @Override
  protected HttpURI rewriteHttpURI(Request request) {
    LiveInstance live = (LiveInstance) request.getAttribute(LiveInstance.ATTRIBUTE);
    RouteMatch match = (RouteMatch) request.getAttribute(RouteMatch.ATTRIBUTE);
    HttpURI in = request.getHttpURI();
    String rawPath = in.getPath() == null ? "/" : in.getPath();
    String prefix = match.prefix();
    if (!prefix.isEmpty() && rawPath.startsWith(prefix)) {
      rawPath = rawPath.substring(prefix.length());
      if (rawPath.isEmpty()) {
        rawPath = "/";
      }
    }
    return HttpURI.build()
        .scheme("http")
        .host("127.0.0.1")
        .port(live.processes().pickPort())
        .path(rawPath)
        .query(in.getQuery());
  }

  @Override
  protected void addProxyHeaders(
      Request request, org.eclipse.jetty.client.Request proxyToServerRequest) {
    super.addProxyHeaders(request, proxyToServerRequest);
    RouteMatch match = (RouteMatch) request.getAttribute(RouteMatch.ATTRIBUTE);
    String remote = Request.getRemoteAddr(request);
    String priorFor = request.getHeaders().get("X-Forwarded-For");
    String host = request.getHeaders().get(HttpHeader.HOST);
    proxyToServerRequest.headers(
        h -> {
          h.put("X-Forwarded-For", priorFor == null ? remote : priorFor + ", " + remote);
          h.put("X-Forwarded-Proto", request.isSecure() ? "https" : "http");
          if (host != null) {
            h.put("X-Forwarded-Host", host);
          }
          if (!match.prefix().isEmpty()) {
            h.put("X-Forwarded-Prefix", match.prefix());
          } else {
            h.remove("X-Forwarded-Prefix");
          }
        });
  }
}

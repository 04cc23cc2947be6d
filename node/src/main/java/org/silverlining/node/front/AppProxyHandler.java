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
 * X-Forwarded-Prefix}, with {@code X-Forwarded-For/Proto/Host} ({@link ForwardedRequest}, as for
 * WebSocket handshakes).
 */
public final class AppProxyHandler extends ProxyHandler {
  /** Idle keep-alive connections to apps are closed before apps close them (most wait ≥ 30 s). */
  static final long UPSTREAM_IDLE_MILLIS = 20_000;

  static final long UPSTREAM_CONNECT_MILLIS = 5_000;
  static final int MAX_CONNECTIONS_PER_PROCESS = 2048;

  /** The request attribute holding the nanoseconds the app took (a {@code Long}), for metrics. */
  public static final String UPSTREAM_NANOS = "silver.upstream.nanos";

  /**
   * The request attribute saying why the app's process could not be reached or failed to answer (a
   * String), for the {@code errors} pack's report.
   */
  public static final String UPSTREAM_FAILURE = "silver.upstream.failure";

  @Override
  protected void onServerToProxyResponseFailure(
      Request clientToProxyRequest,
      org.eclipse.jetty.client.Request proxyToServerRequest,
      org.eclipse.jetty.client.Response serverToProxyResponse,
      Response proxyToClientResponse,
      Callback proxyToClientCallback,
      Throwable failure) {
    clientToProxyRequest.setAttribute(
        UPSTREAM_FAILURE,
        "the app's process at port "
            + proxyToServerRequest.getURI().getPort()
            + " did not answer: "
            + (failure instanceof java.io.EOFException
                ? "it closed the connection without an answer"
                : failure.toString()));
    super.onServerToProxyResponseFailure(
        clientToProxyRequest,
        proxyToServerRequest,
        serverToProxyResponse,
        proxyToClientResponse,
        proxyToClientCallback,
        failure);
  }

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
    long start = System.nanoTime();
    Callback done =
        new Callback.Nested(callback) {
          @Override
          public void succeeded() {
            request.setAttribute(UPSTREAM_NANOS, System.nanoTime() - start);
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
    return HttpURI.build()
        .scheme("http")
        .host("127.0.0.1")
        .port(live.processes().pickPort())
        .path(ForwardedRequest.appPath(in.getPath(), match.prefix()))
        .query(in.getQuery());
  }

  @Override
  protected void addProxyHeaders(
      Request request, org.eclipse.jetty.client.Request proxyToServerRequest) {
    super.addProxyHeaders(request, proxyToServerRequest);
    RouteMatch match = (RouteMatch) request.getAttribute(RouteMatch.ATTRIBUTE);
    proxyToServerRequest.headers(h -> ForwardedRequest.putHeaders(request, match.prefix(), h));
  }

  public AppProxyHandler() {
    setViaHost(ForwardedRequest.VIA_HOST);
  }

  /** {@code Via}, written here rather than by Jetty, whose version formats a string per request. */
  @Override
  protected void addViaHeader(Request request, org.eclipse.jetty.client.Request out) {
    String version = request.getConnectionMetaData().getHttpVersion().asString();
    String via = ForwardedRequest.via(joined(request, HttpHeader.VIA), version, getViaHost());
    out.headers(h -> h.put(HttpHeader.VIA, via));
  }

  /** RFC 7239 {@code Forwarded}, after the client's own. */
  @Override
  protected void addForwardedHeader(Request request, org.eclipse.jetty.client.Request out) {
    String forwarded =
        ForwardedRequest.forwarded(
            joined(request, HttpHeader.FORWARDED),
            Request.getLocalAddr(request),
            Request.getRemoteAddr(request),
            request.getHttpURI().getAuthority(),
            request.isSecure());
    out.headers(h -> h.put(HttpHeader.FORWARDED, forwarded));
  }

  /** Every value of {@code header} in the client's request, comma-separated; null if none. */
  private static String joined(Request request, HttpHeader header) {
    java.util.List<String> values = request.getHeaders().getValuesList(header);
    return values.isEmpty() ? null : String.join(", ", values);
  }
}

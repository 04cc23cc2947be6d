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

  /**
   * {@code Via: 1.1 HOST}, after the client's own. Written here rather than by Jetty, whose version
   * formats a string per request and was a measurable share of the proxy's CPU.
   */
  @Override
  protected void addViaHeader(Request request, org.eclipse.jetty.client.Request out) {
    String version = request.getConnectionMetaData().getHttpVersion().asString();
    String mine =
        (version.startsWith("HTTP/") ? version.substring(5) : version) + " " + getViaHost();
    String prior = joined(request, HttpHeader.VIA);
    out.headers(h -> h.put(HttpHeader.VIA, prior == null ? mine : prior + ", " + mine));
  }

  /** RFC 7239 {@code Forwarded: by=…;for=…;host=…;proto=…}, after the client's own. */
  @Override
  protected void addForwardedHeader(Request request, org.eclipse.jetty.client.Request out) {
    StringBuilder b = new StringBuilder(96);
    b.append("by=");
    forwardedValue(b, Request.getLocalAddr(request));
    b.append(";for=");
    forwardedValue(b, Request.getRemoteAddr(request));
    String host = request.getHttpURI().getAuthority();
    if (host != null && !host.isEmpty()) {
      b.append(";host=");
      forwardedValue(b, host);
    }
    b.append(";proto=").append(request.isSecure() ? "https" : "http");
    String prior = joined(request, HttpHeader.FORWARDED);
    String mine = b.toString();
    out.headers(h -> h.put(HttpHeader.FORWARDED, prior == null ? mine : prior + ", " + mine));
  }

  /** Every value of {@code header} in the client's request, comma-separated; null if none. */
  private static String joined(Request request, HttpHeader header) {
    java.util.List<String> values = request.getHeaders().getValuesList(header);
    return values.isEmpty() ? null : String.join(", ", values);
  }

  /**
   * A token as it is; anything else (an IPv6 address, a host with a port) as a quoted string. IPv6
   * addresses are bracketed, as RFC 7239 asks.
   */
  static void forwardedValue(StringBuilder b, String value) {
    boolean token = !value.isEmpty();
    for (int i = 0; i < value.length() && token; i++) {
      char c = value.charAt(i);
      token = c < 128 && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
    }
    if (token) {
      b.append(value);
      return;
    }
    boolean ipv6 = value.indexOf(':') != value.lastIndexOf(':') && !value.startsWith("[");
    b.append('"');
    if (ipv6) {
      b.append('[');
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    if (ipv6) {
      b.append(']');
    }
    b.append('"');
  }
}

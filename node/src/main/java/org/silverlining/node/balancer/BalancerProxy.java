package org.silverlining.node.balancer;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.silverlining.node.front.Pages;

/**
 * The balancer's proxy: a request for a balanced location goes to the next app server in rotation,
 * over keep-alive connections (Jetty's asynchronous {@link ProxyHandler}, as the front's proxy to
 * apps), with {@code X-Forwarded-For/Proto/Host} set once, here — a client's own are replaced. A
 * request that fails before any of its answer reached the client is sent to another app server when
 * that is safe: a GET, HEAD or OPTIONS whatever the failure, any request without a body when the
 * connection could not be made. A request for any other location is not this handler's.
 */
public final class BalancerProxy extends ProxyHandler {
  static final long CONNECT_MILLIS = 2_000;

  /** Idle keep-alive connections close before app servers' fronts close them (60 s). */
  static final long IDLE_MILLIS = 20_000;

  static final int MAX_CONNECTIONS_PER_SERVER = 2048;

  private static final String LOCATION = "silver.balancer.location";
  private static final String UPSTREAM = "silver.balancer.upstream";
  private static final String TRIED = "silver.balancer.tried";

  private final Balancer balancer;
  private final String bindHost;

  /**
   * A proxy for {@code balancer}'s locations; {@code bindHost}, when not a wildcard address, is the
   * address its connections come from, which app servers trust.
   */
  public BalancerProxy(Balancer balancer, String bindHost) {
    this.balancer = balancer;
    this.bindHost = bindHost;
  }

  @Override
  protected HttpClient newHttpClient() {
    HttpClient client = new HttpClient();
    client.setExecutor(getServer().getThreadPool());
    client.setMaxConnectionsPerDestination(MAX_CONNECTIONS_PER_SERVER);
    client.setIdleTimeout(IDLE_MILLIS);
    client.setConnectTimeout(CONNECT_MILLIS);
    if (bindHost != null && !bindHost.isEmpty() && !bindHost.equals("0.0.0.0")) {
      client.setBindAddress(new InetSocketAddress(bindHost, 0));
    }
    return client;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!balancer.isBalancing()) {
      return false;
    }
    String path = request.getHttpURI().getCanonicalPath();
    BalancedLocation where =
        balancer.match(
            Request.getServerName(request),
            Request.getServerPort(request),
            path == null ? "/" : path);
    if (where == null) {
      return false;
    }
    Upstream first = where.pick(Set.of());
    Set<Upstream> tried = new HashSet<>();
    tried.add(first);
    request.setAttribute(LOCATION, where);
    request.setAttribute(UPSTREAM, first);
    request.setAttribute(TRIED, tried);
    return super.handle(request, response, callback);
  }

  @Override
  protected HttpURI rewriteHttpURI(Request request) {
    Upstream u = (Upstream) request.getAttribute(UPSTREAM);
    HttpURI in = request.getHttpURI();
    return HttpURI.build()
        .scheme("http")
        .host(u.host())
        .port(u.port())
        .path(in.getPath())
        .query(in.getQuery());
  }

  @Override
  protected void addProxyHeaders(
      Request request, org.eclipse.jetty.client.Request proxyToServerRequest) {
    super.addProxyHeaders(request, proxyToServerRequest);
    String host = request.getHeaders().get(HttpHeader.HOST);
    proxyToServerRequest.headers(
        h -> {
          h.put("X-Forwarded-For", Request.getRemoteAddr(request));
          h.put("X-Forwarded-Proto", request.isSecure() ? "https" : "http");
          if (host != null) {
            h.put("X-Forwarded-Host", host);
          } else {
            h.remove("X-Forwarded-Host");
          }
          h.remove("X-Forwarded-Prefix"); // the app server's front sets it for its location
        });
  }

  @Override
  protected void onServerToProxyResponseFailure(
      Request clientToProxyRequest,
      org.eclipse.jetty.client.Request proxyToServerRequest,
      org.eclipse.jetty.client.Response serverToProxyResponse,
      Response proxyToClientResponse,
      Callback proxyToClientCallback,
      Throwable failure) {
    Upstream failed = (Upstream) clientToProxyRequest.getAttribute(UPSTREAM);
    boolean notConnected = cannotConnect(failure);
    if (notConnected) {
      failed.unreachable();
    }
    if (!proxyToClientResponse.isCommitted() && mayRetry(clientToProxyRequest, notConnected)) {
      @SuppressWarnings("unchecked")
      Set<Upstream> tried = (Set<Upstream>) clientToProxyRequest.getAttribute(TRIED);
      BalancedLocation where = (BalancedLocation) clientToProxyRequest.getAttribute(LOCATION);
      Upstream next = where.pick(tried);
      if (next != null) {
        tried.add(next);
        clientToProxyRequest.setAttribute(UPSTREAM, next);
        proxyToClientResponse.reset();
        super.handle(clientToProxyRequest, proxyToClientResponse, proxyToClientCallback);
        return;
      }
    }
    if (!proxyToClientResponse.isCommitted() && notConnected) {
      proxyToClientResponse.reset();
      Pages.unavailable(
          proxyToClientResponse,
          proxyToClientCallback,
          "No app server of this site could be reached.");
      return;
    }
    super.onServerToProxyResponseFailure(
        clientToProxyRequest,
        proxyToServerRequest,
        serverToProxyResponse,
        proxyToClientResponse,
        proxyToClientCallback,
        failure);
  }

  /**
   * Whether a request may be sent again: nothing of it reached the app when the connection could
   * not be made (and a body would have been read already); an idempotent request without a body may
   * be repeated whatever happened.
   */
  static boolean mayRetry(Request request, boolean notConnected) {
    String method = request.getMethod();
    boolean idempotent =
        HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method) || HttpMethod.OPTIONS.is(method);
    boolean noBody =
        request.getLength() <= 0 && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    return noBody && (idempotent || notConnected);
  }

  static boolean cannotConnect(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }
}

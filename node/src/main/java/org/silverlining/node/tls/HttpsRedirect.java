package org.silverlining.node.tls;

import java.time.Instant;
import java.util.Map;
import java.util.function.IntSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.silverlining.node.front.RouteMatch;

/**
 * Sends a plain-HTTP request to HTTPS (308: same host, path and query) when its app asks for it
 * ({@code https = redirect}, the default) and its host has a valid certificate; on HTTPS answers,
 * adds {@code Strict-Transport-Security} when the app sets {@code hsts}. Runs after the router and
 * before anything that answers.
 */
public final class HttpsRedirect extends Handler.Wrapper {
  private final CertificateStore store;
  private final IntSupplier httpsPort;
  private volatile Map<String, HttpsPolicy> byApp = Map.of();

  public HttpsRedirect(CertificateStore store, IntSupplier httpsPort, Handler next) {
    super(next);
    this.store = store;
    this.httpsPort = httpsPort;
  }

  /** Publishes the policies of every app at once. */
  public void setPolicies(Map<String, HttpsPolicy> policies) {
    byApp = Map.copyOf(policies);
  }

  public HttpsPolicy policy(String app) {
    return byApp.getOrDefault(app, HttpsPolicy.DEFAULT);
  }

  /** Whether a plain-HTTP request for {@code app} at {@code host} is sent to HTTPS. */
  public boolean redirects(String app, String host) {
    return policy(app).redirects()
        && httpsPort.getAsInt() > 0
        && store.forHost(host).filter(c -> c.validAt(Instant.now())).isPresent();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (request.getAttribute(RouteMatch.ATTRIBUTE) instanceof RouteMatch m) {
      HttpsPolicy p = policy(m.route().app());
      if (request.isSecure()) {
        if (p.hstsSeconds() > 0) {
          response
              .getHeaders()
              .put(HttpHeader.STRICT_TRANSPORT_SECURITY, "max-age=" + p.hstsSeconds());
        }
      } else {
        String host = Request.getServerName(request);
        if (redirects(m.route().app(), host)) {
          redirect(request, response, callback, host, httpsPort.getAsInt());
          return true;
        }
      }
    }
    return super.handle(request, response, callback);
  }

  private static void redirect(
      Request request, Response response, Callback callback, String host, int port) {
    StringBuilder to = new StringBuilder("https://");
    to.append(host.contains(":") ? "[" + host + "]" : host);
    if (port != 443) {
      to.append(':').append(port);
    }
    String path = request.getHttpURI().getPath();
    to.append(path == null || path.isEmpty() ? "/" : path);
    String query = request.getHttpURI().getQuery();
    if (query != null) {
      to.append('?').append(query);
    }
    response.setStatus(308);
    response.getHeaders().put(HttpHeader.LOCATION, to.toString());
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
    response.write(true, null, callback);
  }
}

package org.silverlining.node.monitor;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /metrics} on the admin listener, in the Prometheus text format: for a bearer token of
 * the node, or for a scraper whose address {@code [metrics] allow} names. Any other request goes on
 * to the management API.
 */
public final class MetricsEndpoint extends Handler.Wrapper {
  /** Whether a bearer token is one of the node's. */
  public interface TokenCheck {
    boolean valid(String token) throws java.io.IOException;
  }

  public static final String PATH = "/metrics";

  private final NodeMetrics metrics;
  private final TokenCheck tokens;
  private final MonitorSettings settings;

  public MetricsEndpoint(
      NodeMetrics metrics, TokenCheck tokens, MonitorSettings settings, Handler next) {
    super(next);
    this.metrics = metrics;
    this.tokens = tokens;
    this.settings = settings;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!PATH.equals(Request.getPathInContext(request))) {
      return super.handle(request, response, callback);
    }
    if (!allowed(request)) {
      response.setStatus(401);
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"silver\"");
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      response.write(
          true,
          ByteBuffer.wrap(
              ("a bearer token is required (Authorization: Bearer TOKEN),"
                      + " or an address in [metrics] allow\n")
                  .getBytes(StandardCharsets.UTF_8)),
          callback);
      return true;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    metrics.write(out);
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, metrics.contentType());
    response.write(true, ByteBuffer.wrap(out.toByteArray()), callback);
    return true;
  }

  private boolean allowed(Request request) throws java.io.IOException {
    SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
    if (remote instanceof InetSocketAddress isa) {
      InetAddress a = isa.getAddress();
      if (a != null && settings.metricsAllowed(a)) {
        return true;
      }
    }
    String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).strip() : null;
    return token != null && tokens.valid(token);
  }
}

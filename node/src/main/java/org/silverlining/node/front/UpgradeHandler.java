package org.silverlining.node.front;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.silverlining.node.apphttp.AppHttpClient;
import org.silverlining.node.apphttp.AppRequest;
import org.silverlining.node.apphttp.AppResponse;

/**
 * Passes HTTP/1.1 upgrades (WebSocket) through to the app: the handshake is sent to one of the
 * instance's processes as it came, with the path and forwarding headers of proxied requests ({@link
 * ForwardedRequest}), by the node's {@link AppHttpClient}; when the app agrees with {@code 101
 * Switching Protocols}, the client's connection becomes a {@link TunnelConnection} to the app's
 * socket. Any other answer is relayed (its body up to {@link #MAX_REFUSAL_BYTES}) and the
 * connection closed.
 */
public final class UpgradeHandler extends Handler.Abstract {
  /** The app's answer to a handshake must have come within this. */
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

  /** Of a refusal's body, this much is relayed. */
  static final int MAX_REFUSAL_BYTES = 64 * 1024;

  private final AppHttpClient http =
      new AppHttpClient(Duration.ofMillis(AppProxyHandler.UPSTREAM_CONNECT_MILLIS), Duration.ZERO);

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!isUpgrade(request)
        || !(request.getAttribute(LiveInstance.ATTRIBUTE) instanceof LiveInstance live)
        || live.processes() == null) {
      return false;
    }
    getServer()
        .getThreadPool()
        .execute(
            () -> {
              try {
                upgrade(request, response, callback, live);
              } catch (Exception e) {
                Response.writeError(
                    request,
                    response,
                    callback,
                    502,
                    "the app did not take the upgrade: " + e.getMessage());
              }
            });
    return true;
  }

  static boolean isUpgrade(Request request) {
    String protocols = request.getHeaders().get(HttpHeader.UPGRADE);
    // "h2c" (sent by the JDK's HttpClient and curl --http2) asks the front for HTTP/2, not the
    // app for a tunnel: like any server without h2c, the front answers it as plain HTTP/1.1.
    return protocols != null
        && !protocols.strip().equalsIgnoreCase("h2c")
        && request.getHeaders().contains(HttpHeader.CONNECTION, "upgrade")
        && "HTTP/1.1".equals(request.getConnectionMetaData().getProtocol());
  }

  private void upgrade(Request request, Response response, Callback callback, LiveInstance live)
      throws IOException {
    RouteMatch match = (RouteMatch) request.getAttribute(RouteMatch.ATTRIBUTE);
    AppHttpClient.Upgrade up = http.upgrade(handshake(request, match, live.processes().pickPort()));
    AppResponse answer = up.response();
    response.setStatus(answer.status());
    for (HttpField f : answer.headers()) {
      response.getHeaders().add(f);
    }
    if (up.socket() != null) {
      try {
        request.setAttribute(
            HttpStream.UPGRADE_CONNECTION_ATTRIBUTE,
            new TunnelConnection(
                request.getConnectionMetaData().getConnection().getEndPoint(),
                getServer().getThreadPool(),
                up.socket(),
                up.rest()));
      } catch (IOException | RuntimeException e) {
        up.socket().close();
        throw e;
      }
      callback.succeeded();
      return;
    }
    // The app refused: relay what it sent, then close.
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    response.getHeaders().remove(HttpHeader.TRANSFER_ENCODING);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.bodyTail().length);
    response.write(true, ByteBuffer.wrap(answer.bodyTail()), callback);
  }

  /** The client's handshake as the app gets it: its path below the prefix, forwarding headers. */
  private static AppRequest handshake(Request request, RouteMatch match, int port) {
    HttpURI uri = request.getHttpURI();
    String path = ForwardedRequest.appPath(uri.getPath(), match.prefix());
    HttpFields.Mutable headers = HttpFields.build(request.getHeaders());
    ForwardedRequest.putHeaders(request, match.prefix(), headers);
    return new AppRequest(
        port,
        request.getMethod(),
        uri.getQuery() == null ? path : path + "?" + uri.getQuery(),
        headers,
        null,
        HANDSHAKE_TIMEOUT,
        MAX_REFUSAL_BYTES);
  }
}

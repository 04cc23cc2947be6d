package org.silverlining.node.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The front's first handler: a banned client gets 403 (recorded as {@code banned}) before anything
 * else runs, which for everyone else costs one look-up in an empty map. A path with a {@code ..}
 * segment that Jetty let through (it stays below the root: {@code /a/../b}) is recorded as {@code
 * traversal} and served as Jetty resolved it; browsers never send one.
 */
public final class SecurityGate extends Handler.Wrapper {
  private static final ByteBuffer BODY =
      ByteBuffer.wrap(
              "403 Forbidden: too many suspicious requests from your address; try again later\n"
                  .getBytes(StandardCharsets.UTF_8))
          .asReadOnlyBuffer();

  private final SecurityLog log;

  public SecurityGate(SecurityLog log, Handler next) {
    super(next);
    this.log = log;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!log.banned(Request.getRemoteAddr(request))) {
      if (BadRequests.climbs(request.getHttpURI().getPath())) {
        log.record(
            SecurityEvent.of(
                SecurityEvent.Kind.TRAVERSAL,
                request,
                "served: the path climbs with .. below the root"));
      }
      return super.handle(request, response, callback);
    }
    log.record(
        SecurityEvent.of(SecurityEvent.Kind.BANNED, request, "refused: the client is banned"));
    response.setStatus(403);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    response.write(true, BODY.slice(), callback);
    return true;
  }
}

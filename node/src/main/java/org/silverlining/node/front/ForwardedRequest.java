package org.silverlining.node.front;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * What the front tells an app about a request it passes on, for proxied requests and WebSocket
 * handshakes alike: the path below the location's prefix, and {@code X-Forwarded-For} (the client's
 * address after any earlier proxy's), {@code X-Forwarded-Proto}, {@code X-Forwarded-Host} and
 * {@code X-Forwarded-Prefix} (the matched prefix, like CGI's {@code SCRIPT_NAME}; removed when the
 * location is at the root, so a client cannot make one up).
 */
final class ForwardedRequest {
  private ForwardedRequest() {}

  /** The path the app sees: {@code path} without {@code prefix}, {@code /} for the prefix alone. */
  static String appPath(String path, String prefix) {
    String p = path == null || path.isEmpty() ? "/" : path;
    if (!prefix.isEmpty() && p.startsWith(prefix)) {
      p = p.substring(prefix.length());
      return p.isEmpty() ? "/" : p;
    }
    return p;
  }

  /** Sets the {@code X-Forwarded-*} headers of {@code request}, matched at {@code prefix}. */
  static void putHeaders(Request request, String prefix, HttpFields.Mutable into) {
    String remote = Request.getRemoteAddr(request);
    String priorFor = request.getHeaders().get("X-Forwarded-For");
    into.put("X-Forwarded-For", priorFor == null ? remote : priorFor + ", " + remote);
    into.put("X-Forwarded-Proto", request.isSecure() ? "https" : "http");
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (host != null) {
      into.put("X-Forwarded-Host", host);
    } else {
      into.remove("X-Forwarded-Host");
    }
    if (!prefix.isEmpty()) {
      into.put("X-Forwarded-Prefix", prefix);
    } else {
      into.remove("X-Forwarded-Prefix");
    }
  }
}

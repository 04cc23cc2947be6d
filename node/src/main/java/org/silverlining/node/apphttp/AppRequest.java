package org.silverlining.node.apphttp;

import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;

/**
 * A request the node makes to one of its app processes on {@code 127.0.0.1:port}: {@code method
 * pathQuery} (characters beyond ASCII are sent percent-encoded as UTF-8), {@code headers} (the
 * client adds {@code Host} and, for a body or a POST/PUT, {@code Content-Length}), {@code body}
 * (empty for none). The whole answer must have arrived within {@code timeout}; of its body the last
 * {@code keepBodyBytes} are kept for the caller (0: read and dropped).
 */
public record AppRequest(
    int port,
    String method,
    String pathQuery,
    HttpFields headers,
    byte[] body,
    Duration timeout,
    int keepBodyBytes) {
  private static final byte[] NO_BODY = new byte[0];

  public AppRequest {
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("not a port: " + port);
    }
    if (!pathQuery.startsWith("/")) {
      throw new IllegalArgumentException("a request path starts with /: " + pathQuery);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("a request needs a positive timeout");
    }
    headers = headers.asImmutable();
    body = body == null ? NO_BODY : body;
  }

  /** {@code method pathQuery} without headers or body, its body dropped. */
  public static AppRequest of(int port, String method, String pathQuery, Duration timeout) {
    return new AppRequest(port, method, pathQuery, HttpFields.EMPTY, null, timeout, 0);
  }

  /** This request with {@code name: value} added. */
  public AppRequest withHeader(String name, String value) {
    return withHeaders(Map.of(name, value));
  }

  /** This request with {@code more} headers added, in their order. */
  public AppRequest withHeaders(Map<String, String> more) {
    HttpFields.Mutable h = HttpFields.build(headers);
    more.forEach(h::add);
    return new AppRequest(port, method, pathQuery, h, body, timeout, keepBodyBytes);
  }

  /** This request with {@code body}. */
  public AppRequest withBody(byte[] body) {
    return new AppRequest(port, method, pathQuery, headers, body, timeout, keepBodyBytes);
  }

  /** This request, keeping the last {@code bytes} of the answer's body. */
  public AppRequest keepingBody(int bytes) {
    return new AppRequest(port, method, pathQuery, headers, body, timeout, bytes);
  }
}

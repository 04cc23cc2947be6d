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

  /**
   * Sets the {@code X-Forwarded-*} headers of {@code request}, matched at {@code prefix}; those of
   * a request from a trusted balancer ({@link TrustedForwarding}) are kept as it set them.
   */
  static void putHeaders(Request request, String prefix, HttpFields.Mutable into) {
    if (request.getAttribute(TrustedForwarding.ATTRIBUTE) != null
        && request.getHeaders().contains("X-Forwarded-For")) {
      putPrefix(prefix, into);
      return;
    }
    String remote = Request.getRemoteAddr(request);
    into.put("X-Forwarded-For", forwardedFor(request.getHeaders().get("X-Forwarded-For"), remote));
    into.put("X-Forwarded-Proto", request.isSecure() ? "https" : "http");
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (host != null) {
      into.put("X-Forwarded-Host", host);
    } else {
      into.remove("X-Forwarded-Host");
    }
    putPrefix(prefix, into);
  }

  private static void putPrefix(String prefix, HttpFields.Mutable into) {
    if (!prefix.isEmpty()) {
      into.put("X-Forwarded-Prefix", prefix);
    } else {
      into.remove("X-Forwarded-Prefix");
    }
  }

  /**
   * {@code X-Forwarded-For}: the client's address after an earlier proxy's list ({@code prior}).
   */
  static String forwardedFor(String prior, String remote) {
    return prior == null ? remote : prior + ", " + remote;
  }

  /**
   * RFC 7239 {@code Forwarded: by=…;for=…;host=…;proto=…}, after the client's own ({@code prior},
   * or null).
   */
  static String forwarded(String prior, String local, String remote, String host, boolean secure) {
    StringBuilder b = new StringBuilder(96);
    if (prior != null) {
      b.append(prior).append(", ");
    }
    b.append("by=");
    forwardedValue(b, local);
    b.append(";for=");
    forwardedValue(b, remote);
    if (host != null && !host.isEmpty()) {
      b.append(";host=");
      forwardedValue(b, host);
    }
    return b.append(";proto=").append(secure ? "https" : "http").toString();
  }

  /** {@code Via: 1.1 HOST}, after the client's own ({@code prior}, or null). */
  static String via(String prior, String version, String viaHost) {
    String mine = (version.startsWith("HTTP/") ? version.substring(5) : version) + " " + viaHost;
    return prior == null ? mine : prior + ", " + mine;
  }

  /** The name this node gives itself in {@code Via}: the machine's host name. */
  static final String VIA_HOST = viaHost();

  private static String viaHost() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
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

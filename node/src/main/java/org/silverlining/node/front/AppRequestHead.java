package org.silverlining.node.front;

import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.silverlining.node.middleware.Header;

/**
 * Writes the head an app gets for a client's request on the byte-level path: the request line with
 * the path below the location's prefix, the client's headers but hop-by-hop and internal ones, and
 * the forwarding headers ({@link ForwardedRequest}). One per client connection, which keeps its
 * {@code Forwarded} value while the host stays the same.
 */
final class AppRequestHead {
  private final ByteBufferPool pool;
  private final String remote;
  private final String local;
  private String forwardedHost;
  private String forwarded;

  /** {@code remote} and {@code local}: the client's address, and the front's it connected to. */
  AppRequestHead(ByteBufferPool pool, String remote, String local) {
    this.pool = pool;
    this.remote = remote;
    this.local = local;
  }

  /** The head for {@code h}, asked of {@code host}, with {@code set} in place of its headers. */
  RetainableByteBuffer write(RequestHead h, RouteMatch match, String host, List<Header> set) {
    ByteBuffer b = h.buf;
    String priorFor = null;
    StringBuilder priorForwarded = null;
    StringBuilder priorVia = null;
    for (int i = 0; i < h.count; i++) {
      switch (h.kind[i]) {
        case RequestHead.FORWARDED_FOR -> {
          if (priorFor == null) {
            priorFor = RequestHead.ascii(b, h.valueStart[i], h.valueEnd[i]);
          }
        }
        case RequestHead.FORWARDED -> priorForwarded = join(priorForwarded, b, h, i);
        case RequestHead.VIA -> priorVia = join(priorVia, b, h, i);
        default -> {}
      }
    }
    String xff = ForwardedRequest.forwardedFor(priorFor, remote);
    String fwd = forwarded(priorForwarded, host);
    String via =
        priorVia == null
            ? ProxyHead.VIA
            : ForwardedRequest.via(priorVia.toString(), "HTTP/1.1", ForwardedRequest.VIA_HOST);
    String prefix = match.prefix();
    int size =
        h.end
            - h.start
            + xff.length()
            + fwd.length()
            + via.length()
            + 2 * host.length()
            + ProxyHead.size(set);
    RetainableByteBuffer out = pool.acquire(size + prefix.length() + 160, true);
    ByteBuffer o = out.getByteBuffer();
    int pos = BufferUtil.flipToFill(o);
    requestLine(o, h, prefix);
    for (int i = 0; i < h.count; i++) {
      byte k = h.kind[i];
      if ((k == RequestHead.PASS || k == RequestHead.HOST)
          && (set.isEmpty() || !ProxyHead.namedAny(b, h.nameStart[i], set))) {
        ProxyHead.copy(o, b, h.nameStart[i], h.valueEnd[i] - h.nameStart[i]);
        o.put(ProxyHead.CRLF);
      }
    }
    ProxyHead.headers(o, set);
    ProxyHead.header(o, "X-Forwarded-For: ", xff);
    o.put(ProxyHead.PROTO_HTTP);
    ProxyHead.header(o, "X-Forwarded-Host: ", host);
    if (!prefix.isEmpty()) {
      ProxyHead.header(o, "X-Forwarded-Prefix: ", prefix);
    }
    ProxyHead.header(o, "Forwarded: ", fwd);
    ProxyHead.header(o, "Via: ", via);
    o.put(ProxyHead.CRLF);
    BufferUtil.flipToFlush(o, pos);
    return out;
  }

  /** The method, the target below {@code prefix} ("/" when nothing is left), and HTTP/1.1. */
  private static void requestLine(ByteBuffer o, RequestHead h, String prefix) {
    ByteBuffer b = h.buf;
    ProxyHead.copy(o, b, h.start, h.methodEnd + 1 - h.start);
    int path = h.targetStart;
    if (!prefix.isEmpty() && h.pathEnd - path >= prefix.length()) {
      path += prefix.length();
    }
    if (path == h.pathEnd) {
      o.put((byte) '/');
    }
    ProxyHead.copy(o, b, path, h.targetEnd - path);
    ProxyHead.put(o, " HTTP/1.1\r\n");
  }

  /** The {@code Forwarded} value: made again only when there is an earlier one or a new host. */
  private String forwarded(StringBuilder prior, String host) {
    if (prior == null && host == forwardedHost) {
      return forwarded;
    }
    String fwd =
        ForwardedRequest.forwarded(
            prior == null ? null : prior.toString(), local, remote, host, false);
    if (prior == null) {
      forwardedHost = host;
      forwarded = fwd;
    }
    return fwd;
  }

  private static StringBuilder join(StringBuilder to, ByteBuffer b, RequestHead h, int i) {
    StringBuilder s = to == null ? new StringBuilder() : to.append(", ");
    for (int k = h.valueStart[i]; k < h.valueEnd[i]; k++) {
      s.append((char) (b.get(k) & 0xff));
    }
    return s;
  }
}

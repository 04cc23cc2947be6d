package org.silverlining.node.front;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Passes HTTP/1.1 upgrades (WebSocket) through to the app: the handshake is sent to one of the
 * instance's processes as it came (with the same forwarding headers as proxied requests); when the
 * app agrees with {@code 101 Switching Protocols}, the client's connection becomes a {@link
 * TunnelConnection} to the app's socket. Any other answer is relayed and the connection closed.
 */
public final class UpgradeHandler extends Handler.Abstract {
  static final int MAX_HEAD_BYTES = 64 * 1024;
  private static final Set<String> NOT_FORWARDED =
      Set.of("x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-prefix");

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
    SocketChannel app =
        SocketChannel.open(new InetSocketAddress("127.0.0.1", live.processes().pickPort()));
    try {
      app.write(ByteBuffer.wrap(handshake(request, match).getBytes(StandardCharsets.ISO_8859_1)));
      ByteBuffer head = ByteBuffer.allocate(MAX_HEAD_BYTES);
      int end;
      while ((end = headEnd(head)) < 0) {
        if (!head.hasRemaining() || app.read(head) < 0) {
          throw new IOException("no complete answer from the app");
        }
      }
      String[] lines = new String(head.array(), 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      response.setStatus(status);
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          response
              .getHeaders()
              .add(lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip());
        }
      }
      ByteBuffer rest = ByteBuffer.wrap(head.array(), end + 4, head.position() - end - 4);
      if (status == 101) {
        request.setAttribute(
            HttpStream.UPGRADE_CONNECTION_ATTRIBUTE,
            new TunnelConnection(
                request.getConnectionMetaData().getConnection().getEndPoint(),
                getServer().getThreadPool(),
                app,
                rest));
        callback.succeeded();
      } else {
        // The app refused: relay what it sent, then close (its body ends with its connection).
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.getHeaders().remove(HttpHeader.TRANSFER_ENCODING);
        ByteBuffer body = ByteBuffer.allocate(MAX_HEAD_BYTES);
        body.put(rest);
        // An app that keeps its connection open ends its answer with Content-Length, not EOF.
        long length = contentLength(lines);
        while (body.hasRemaining()
            && (length < 0 || body.position() < length)
            && app.read(body) >= 0) {
          // read the short refusal
        }
        body.flip();
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.remaining());
        app.close();
        response.write(true, body, callback);
      }
    } catch (IOException | RuntimeException e) {
      app.close();
      throw e;
    }
  }

  private static String handshake(Request request, RouteMatch match) {
    HttpURI uri = request.getHttpURI();
    String path = uri.getPath() == null ? "/" : uri.getPath();
    if (!match.prefix().isEmpty() && path.startsWith(match.prefix())) {
      path = path.substring(match.prefix().length());
      path = path.isEmpty() ? "/" : path;
    }
    StringBuilder out = new StringBuilder();
    out.append(request.getMethod()).append(' ').append(path);
    if (uri.getQuery() != null) {
      out.append('?').append(uri.getQuery());
    }
    out.append(" HTTP/1.1\r\n");
    for (HttpField f : request.getHeaders()) {
      if (!NOT_FORWARDED.contains(f.getName().toLowerCase(Locale.ROOT))) {
        out.append(f.getName()).append(": ").append(f.getValue()).append("\r\n");
      }
    }
    String prior = request.getHeaders().get("X-Forwarded-For");
    String remote = Request.getRemoteAddr(request);
    out.append("X-Forwarded-For: ")
        .append(prior == null ? remote : prior + ", " + remote)
        .append("\r\n");
    out.append("X-Forwarded-Proto: ").append(request.isSecure() ? "https" : "http").append("\r\n");
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (host != null) {
      out.append("X-Forwarded-Host: ").append(host).append("\r\n");
    }
    if (!match.prefix().isEmpty()) {
      out.append("X-Forwarded-Prefix: ").append(match.prefix()).append("\r\n");
    }
    return out.append("\r\n").toString();
  }

  private static long contentLength(String[] headLines) {
    for (String line : headLines) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("content-length")) {
        try {
          return Long.parseLong(line.substring(colon + 1).strip());
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  private static int headEnd(ByteBuffer buf) {
    byte[] a = buf.array();
    for (int i = 3; i < buf.position(); i++) {
      if (a[i - 3] == '\r' && a[i - 2] == '\n' && a[i - 1] == '\r' && a[i] == '\n') {
        return i - 3;
      }
    }
    return -1;
  }
}

package org.silverlining.node.balancer;

import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /.well-known/silver/health} on any host of a node's front: 200 while the node serves,
 * what a balancer's health checks ask. It says nothing but the node's name.
 */
public final class HealthEndpoint extends Handler.Abstract.NonBlocking {
  public static final String PATH = "/.well-known/silver/health";

  private final byte[] body;

  public HealthEndpoint(String nodeName) {
    this.body = ("ok " + nodeName + "\n").getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!PATH.equals(request.getHttpURI().getPath())) {
      return false;
    }
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, BufferUtil.toBuffer(body), callback);
    return true;
  }
}

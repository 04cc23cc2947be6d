package org.silverlining.node.front;

import java.util.function.Predicate;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Marks the requests that come from a nodeset's balancer, whose {@code X-Forwarded-For/Proto/Host}
 * the front then passes to the app as they are ({@link ForwardedRequest}): the balancer set them
 * once, for the client. From any other address they are the client's word and are not kept.
 */
public final class TrustedForwarding extends Handler.Wrapper {
  /** The request attribute that says the forwarded headers are the balancer's. */
  static final String ATTRIBUTE = "silver.forwarded.trusted";

  private final Predicate<String> trusts;

  /** {@code trusts} says whether a remote address is a balancer's. */
  public TrustedForwarding(Predicate<String> trusts, Handler next) {
    super(next);
    this.trusts = trusts;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (trusts.test(Request.getRemoteAddr(request))) {
      request.setAttribute(ATTRIBUTE, Boolean.TRUE);
    }
    return super.handle(request, response, callback);
  }
}

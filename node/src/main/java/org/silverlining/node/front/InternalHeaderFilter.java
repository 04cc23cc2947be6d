package org.silverlining.node.front;

import java.util.Locale;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Removes {@code X-Silver-*} headers from requests that come from outside, so that an app can trust
 * them: only the node itself marks a request as an update, cron or task request.
 */
public final class InternalHeaderFilter extends Handler.Wrapper {
  private static final String PREFIX = "x-silver-";

  public InternalHeaderFilter(Handler next) {
    super(next);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    HttpFields headers = request.getHeaders();
    if (!hasInternal(headers)) {
      return super.handle(request, response, callback);
    }
    HttpFields.Mutable kept = HttpFields.build(headers.size());
    for (HttpField f : headers) {
      if (!isInternal(f)) {
        kept.add(f);
      }
    }
    HttpFields clean = kept.asImmutable();
    return super.handle(
        new Request.Wrapper(request) {
          @Override
          public HttpFields getHeaders() {
            return clean;
          }
        },
        response,
        callback);
  }

  private static boolean hasInternal(HttpFields headers) {
    for (HttpField f : headers) {
      if (isInternal(f)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the header name in {@code b}'s bytes [from, to) is an internal one. */
  static boolean isInternal(java.nio.ByteBuffer b, int from, int to) {
    return to - from >= PREFIX.length() && RequestHead.is(b, from, PREFIX);
  }

  private static boolean isInternal(HttpField f) {
    return f.getLowerCaseName().startsWith(PREFIX)
        || f.getName().toLowerCase(Locale.ROOT).startsWith(PREFIX);
  }
}

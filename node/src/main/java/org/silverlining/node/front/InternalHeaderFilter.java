package org.silverlining.node.front;

import java.util.Locale;
import java.util.StringJoiner;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Removes {@code X-Silver-*} headers from requests that come from outside, so that an app can trust
 * them: only the node itself marks a request as an update, cron or task request. Also removes the
 * dashboard's session cookie: browsers send a host's cookies to every port of it, so an admin who
 * reaches the dashboard and an app by the same host name would otherwise hand the session to the
 * app.
 */
public final class InternalHeaderFilter extends Handler.Wrapper {
  private static final String PREFIX = "x-silver-";

  /** The dashboard's session cookie, which no app sees. */
  public static final String DASHBOARD_COOKIE = "silver_session";

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
      if (isDashboardCookie(f)) {
        String rest = withoutDashboardCookie(f.getValue());
        if (!rest.isEmpty()) {
          kept.add(HttpHeader.COOKIE, rest);
        }
      } else if (!isInternal(f)) {
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
      if (isInternal(f) || isDashboardCookie(f)) {
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

  private static boolean isDashboardCookie(HttpField f) {
    return f.getHeader() == HttpHeader.COOKIE && f.getValue().contains(DASHBOARD_COOKIE);
  }

  /** The pairs of a {@code Cookie} header but the dashboard's. */
  static String withoutDashboardCookie(String cookies) {
    StringJoiner kept = new StringJoiner("; ");
    for (String pair : cookies.split(";")) {
      String p = pair.strip();
      int eq = p.indexOf('=');
      String name = eq < 0 ? p : p.substring(0, eq).strip();
      if (!p.isEmpty() && !name.equals(DASHBOARD_COOKIE)) {
        kept.add(p);
      }
    }
    return kept.toString();
  }
}

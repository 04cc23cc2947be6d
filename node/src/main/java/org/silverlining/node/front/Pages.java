package org.silverlining.node.front;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The few pages the front answers itself: not found, disabled, unavailable. */
public final class Pages {
  private Pages() {}

  public static void notFound(Response response, Callback callback, String host) {
    write(
        response,
        callback,
        404,
        "Not found",
        "No application is deployed at " + escape(host) + " on this node.",
        false);
  }

  /** A versioned URL ({@code $STATIC_URL}) whose deployment has no such file, or is gone. */
  public static void noSuchFile(Response response, Callback callback) {
    write(
        response,
        callback,
        404,
        "Not found",
        "This deployment has no such file, or it is no longer on this node.",
        false);
  }

  public static void disabled(Response response, Callback callback) {
    write(
        response,
        callback,
        503,
        "Temporarily unavailable",
        "This application is disabled for maintenance. Please try again soon.",
        true);
  }

  public static void unavailable(Response response, Callback callback, String why) {
    write(response, callback, 503, "Service unavailable", escape(why), true);
  }

  private static void write(
      Response response,
      Callback callback,
      int status,
      String title,
      String text,
      boolean noStore) {
    String html =
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>"
            + title
            + "</title><style>body{font:16px/1.5 system-ui,sans-serif;margin:4em auto;max-width:36em;"
            + "color:#333}h1{font-weight:500}</style></head><body><h1>"
            + title
            + "</h1><p>"
            + text
            + "</p></body></html>\n";
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
    if (noStore) {
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    }
    response.write(true, ByteBuffer.wrap(html.getBytes(StandardCharsets.UTF_8)), callback);
  }

  static String escape(String s) {
    return s == null
        ? ""
        : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}

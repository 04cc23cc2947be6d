package org.silverlining.node.front;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.silverlining.node.staticfiles.ResourceBuilder;

/**
 * Under {@code silver serve}: the app's own {@code text/html} answers get the production URLs of
 * its named resources replaced by their development URLs, as its static HTML files do at deploy
 * time. The page is held whole before it is sent (development only: pages are small, and speed is
 * not the point).
 */
public final class DevelHtmlRewrite extends Handler.Wrapper {
  private final Function<String, Map<String, String>> rewrites;

  /**
   * @param rewrites production URL → development URL, by instance; empty for none
   */
  public DevelHtmlRewrite(Handler next, Function<String, Map<String, String>> rewrites) {
    super(next);
    this.rewrites = rewrites;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Map<String, String> map =
        request.getAttribute(LiveInstance.ATTRIBUTE) instanceof LiveInstance live
            ? rewrites.apply(live.name())
            : Map.of();
    if (map.isEmpty()) {
      return super.handle(request, response, callback);
    }
    Rewriting rewriting = new Rewriting(request, response, map);
    return super.handle(request, rewriting, rewriting.finishing(callback));
  }

  /** Holds an HTML answer's bytes, and sends them rewritten at its end. */
  private static final class Rewriting extends Response.Wrapper {
    private final Map<String, String> map;
    private ByteArrayOutputStream body; // null: not HTML, passed on as it comes
    private boolean decided;
    private boolean sent;

    Rewriting(Request request, Response response, Map<String, String> map) {
      super(request, response);
      this.map = map;
    }

    @Override
    public void write(boolean last, ByteBuffer content, Callback callback) {
      if (!decided) {
        decided = true;
        String type = getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type != null
            && type.toLowerCase(java.util.Locale.ROOT).startsWith("text/html")
            && getHeaders().get(HttpHeader.CONTENT_ENCODING) == null) {
          getHeaders().remove(HttpHeader.CONTENT_LENGTH);
          body = new ByteArrayOutputStream();
        }
      }
      if (body == null) {
        super.write(last, content, callback);
        return;
      }
      if (content != null) {
        byte[] bytes = new byte[content.remaining()];
        content.get(bytes);
        body.writeBytes(bytes);
      }
      if (last) {
        sendRewritten(callback);
      } else {
        callback.succeeded();
      }
    }

    private void sendRewritten(Callback callback) {
      sent = true;
      String html = ResourceBuilder.rewrite(body.toString(StandardCharsets.UTF_8), map);
      super.write(true, ByteBuffer.wrap(html.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** The handler's callback, which first sends a held page its last write did not end. */
    Callback finishing(Callback callback) {
      return new Callback.Nested(callback) {
        @Override
        public void succeeded() {
          if (body != null && !sent) {
            sendRewritten(Callback.from(super::succeeded, super::failed));
          } else {
            super.succeeded();
          }
        }
      };
    }
  }
}

package org.silverlining.node.front;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.silverlining.node.middleware.Decision;
import org.silverlining.node.middleware.ErrorPages;
import org.silverlining.node.middleware.Header;

/**
 * A response whose 5xx answer is replaced by the {@code errors} pack's page before anything of it
 * is sent: the app's headers are dropped (but for the front's own), its body kept — the first
 * {@link #KEPT_BYTES} — as {@link #ORIGINAL} for the error report, and the page sent, with the same
 * status, once the original has ended.
 */
public final class ErrorPageResponse extends Response.Wrapper {
  /**
   * The request attribute holding what the page replaced (a String): the app's body, or why the app
   * could not be reached; the metrics record it with the error report.
   */
  public static final String ORIGINAL = "silver.errors.original";

  /** Set on a request whose 5xx the front answers on purpose (a disabled app): left as it is. */
  public static final String LEAVE = "silver.errors.leave";

  static final int KEPT_BYTES = 4000;

  /** Headers kept from the answer being replaced: the front's own. */
  private static final Set<HttpHeader> KEEP = Set.of(HttpHeader.SERVER, HttpHeader.DATE);

  private final Request request;
  private final ErrorPages pages;
  private final Path appDir;
  private final ByteArrayOutputStream original = new ByteArrayOutputStream();
  private boolean replacing;
  private boolean compressed;

  ErrorPageResponse(Request request, Response response, ErrorPages pages, Path appDir) {
    super(request, response);
    this.request = request;
    this.pages = pages;
    this.appDir = appDir;
  }

  @Override
  public void write(boolean last, ByteBuffer content, Callback callback) {
    if (!replacing && !catches()) {
      super.write(last, content, callback);
      return;
    }
    replacing = true;
    if (content != null && !compressed) {
      ByteBuffer in = content.duplicate();
      int n = Math.min(in.remaining(), KEPT_BYTES - original.size());
      byte[] b = new byte[Math.max(0, n)];
      in.get(b);
      original.writeBytes(b);
    }
    if (last) {
      sendPage(callback);
    } else {
      callback.succeeded();
    }
  }

  /**
   * Whether the answer ending now without a write of its own (a 5xx without a body) is still to be
   * replaced; if so, {@link #sendPage} must be called.
   */
  boolean replacesAtEnd() {
    return !replacing && catches();
  }

  /** Whether the answer about to be committed is a 5xx the pack replaces. */
  private boolean catches() {
    if (isCommitted()
        || getStatus() < 500
        || getStatus() > 599
        || request.getAttribute(LEAVE) != null) {
      return false;
    }
    compressed = getHeaders().contains(HttpHeader.CONTENT_ENCODING);
    for (HttpField f : getHeaders().asImmutable()) {
      if (f.getHeader() == null || !KEEP.contains(f.getHeader())) {
        getHeaders().remove(f.getName());
      }
    }
    return true;
  }

  /** Writes the page in place of the answer, and records what it replaced. */
  void sendPage(Callback callback) {
    replacing = true;
    Object failure = request.getAttribute(AppProxyHandler.UPSTREAM_FAILURE);
    String kept =
        failure != null
            ? failure.toString()
            : compressed
                ? "(a compressed body, not kept)"
                : original.toString(StandardCharsets.UTF_8);
    request.setAttribute(ORIGINAL, kept);
    Decision.Answer page = pages.page(getStatus(), appDir);
    for (Header h : page.headers()) {
      getHeaders().put(h.name(), h.value());
    }
    super.write(true, ByteBuffer.wrap(page.body()), callback);
  }
}

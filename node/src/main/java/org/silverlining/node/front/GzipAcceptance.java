package org.silverlining.node.front;

import org.silverlining.node.staticfiles.StaticResolver;

/**
 * Whether a client takes gzip answers, read from its request's {@code Accept-Encoding} as the full
 * server's {@link AppCompression} reads it. One per client connection: the header's value is the
 * same request after request, so the answer is kept while it stays the same.
 */
final class GzipAcceptance {
  private final LastText text = new LastText();
  private String last;
  private boolean accepts;

  /** Whether the client that sent {@code h} takes gzip. */
  boolean of(RequestHead h) {
    if (h.acceptEncoding < 0) {
      return false;
    }
    String accept = text.of(h.buf, h.valueStart[h.acceptEncoding], h.valueEnd[h.acceptEncoding]);
    if (accept != last) {
      last = accept;
      accepts = StaticResolver.accepts(accept, "gzip");
    }
    return accepts;
  }
}

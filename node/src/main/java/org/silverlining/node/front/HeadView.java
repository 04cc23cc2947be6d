package org.silverlining.node.front;

import java.nio.ByteBuffer;
import java.util.function.BiConsumer;
import org.silverlining.node.middleware.RequestView;

/**
 * A request of the byte-level path as middleware sees it: read from its parsed head ({@link
 * RequestHead}), a header's text made only when a pack asks for it. The node's internal headers are
 * not in it, as on the full server's path ({@link InternalHeaderFilter}). The byte-level path takes
 * only plain paths (no percent-encoding, no dot segments), so the path as sent is the decoded one.
 */
final class HeadView implements RequestView {
  private final RequestHead head;
  private final String client;
  private final String method;
  private final String target;
  private final String path;

  HeadView(RequestHead head, String client, String method, String target, String path) {
    this.head = head;
    this.client = client;
    this.method = method;
    this.target = target;
    this.path = path;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String target() {
    return target;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String header(String name) {
    RequestHead h = head;
    for (int i = 0; i < h.count; i++) {
      if (ProxyHead.named(h.buf, h.nameStart[i], name) && !internal(i)) {
        return RequestHead.ascii(h.buf, h.valueStart[i], h.valueEnd[i]);
      }
    }
    return null;
  }

  @Override
  public void forEachHeader(BiConsumer<String, String> each) {
    RequestHead h = head;
    ByteBuffer b = h.buf;
    for (int i = 0; i < h.count; i++) {
      if (!internal(i)) {
        int colon = h.nameStart[i];
        while (b.get(colon) != ':') {
          colon++;
        }
        each.accept(
            RequestHead.ascii(b, h.nameStart[i], colon),
            RequestHead.ascii(b, h.valueStart[i], h.valueEnd[i]));
      }
    }
  }

  private boolean internal(int i) {
    int from = head.nameStart[i];
    int to = from;
    while (head.buf.get(to) != ':') {
      to++;
    }
    return InternalHeaderFilter.isInternal(head.buf, from, to);
  }

  @Override
  public String clientAddress() {
    return client;
  }

  @Override
  public boolean secure() {
    return false; // the byte-level path carries plain HTTP only
  }
}

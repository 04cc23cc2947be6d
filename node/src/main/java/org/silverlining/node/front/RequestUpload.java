package org.silverlining.node.front;

import java.nio.ByteBuffer;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;

/**
 * Sends an exchange's request to the app: the head written for it, with the body bytes that came
 * with the client's head in the same write, then the rest of the body as the client sends it, each
 * read paced by the app's taking the last.
 */
final class RequestUpload extends IteratingCallback {
  private final Exchange e;
  private final EndPoint client;
  private final ByteBuffer in;
  private final int headEnd;
  private boolean headSent;
  private int pending;
  private boolean readingClient;

  /**
   * {@code in}: the client connection's input, holding the request's head up to {@code headEnd} and
   * whatever of its body has arrived; it is read into again for the rest.
   */
  RequestUpload(Exchange e, EndPoint client, ByteBuffer in, int headEnd) {
    this.e = e;
    this.client = client;
    this.in = in;
    this.headEnd = headEnd;
  }

  @Override
  public InvocationType getInvocationType() {
    return InvocationType.NON_BLOCKING;
  }

  @Override
  protected Action process() throws Throwable {
    ByteBuffer b = in;
    readingClient = false;
    if (pending > 0) {
      b.position(b.position() + pending);
      e.bodyLeft -= pending;
      pending = 0;
    }
    EndPoint to = e.app.getEndPoint();
    if (!headSent) {
      headSent = true;
      b.position(headEnd);
      pending = (int) Math.min(e.bodyLeft, b.remaining());
      if (pending > 0) {
        to.write(this, e.out.getByteBuffer(), b.slice(b.position(), pending));
      } else {
        to.write(this, e.out.getByteBuffer());
      }
      return Action.SCHEDULED;
    }
    e.releaseOut();
    if (e.bodyLeft == 0) {
      return Action.SUCCEEDED;
    }
    if (!b.hasRemaining()) {
      BufferUtil.clear(b);
      readingClient = true;
      int n = client.fill(b);
      if (n < 0) {
        throw new EofException("the client closed the connection in the middle of a request");
      }
      if (n == 0) {
        client.fillInterested(this);
        return Action.SCHEDULED;
      }
      readingClient = false;
    }
    pending = (int) Math.min(e.bodyLeft, b.remaining());
    to.write(this, b.slice(b.position(), pending));
    return Action.SCHEDULED;
  }

  @Override
  protected void onCompleteSuccess() {
    e.part();
  }

  @Override
  protected void onCompleteFailure(Throwable x) {
    e.fail(x, readingClient);
  }
}

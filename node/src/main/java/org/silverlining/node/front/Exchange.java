package org.silverlining.node.front;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.silverlining.node.middleware.Header;

/**
 * One request under way on the byte-level path: what it is, where it went, and how its two halves —
 * the request's upload ({@link RequestUpload}) and the answer's download ({@link AppConnection}) —
 * are doing. It ends, once, when both have, or at the first failure of either; its client
 * connection then finishes it.
 */
final class Exchange {
  final ProxyConnection client;
  final RoutedRequest request;
  final boolean close;
  final boolean headRequest;

  /** Headers the middleware puts on the answer, in place of the app's of the same names. */
  final List<Header> toClient;

  final long begin = System.nanoTime();
  long bodyLeft;

  /** The head written for the app, until it has been sent. */
  RetainableByteBuffer out;

  AppConnection app;

  /** The upload and the download: the exchange ends when both have. */
  private final AtomicInteger parts = new AtomicInteger(2);

  volatile int status;
  volatile long bytes;
  volatile boolean answerStarted;
  volatile boolean closeClient;
  volatile boolean appReusable;

  Exchange(
      ProxyConnection client,
      RoutedRequest request,
      long bodyLeft,
      boolean close,
      boolean headRequest,
      List<Header> toClient) {
    this.client = client;
    this.request = request;
    this.toClient = toClient;
    this.bodyLeft = bodyLeft;
    this.close = close;
    this.headRequest = headRequest;
  }

  /** One half is done. */
  void part() {
    if (parts.decrementAndGet() == 0) {
      client.finish(this);
    }
  }

  /** Ends the exchange on a failure: {@code clientSide} when the client went away. */
  void fail(Throwable x, boolean clientSide) {
    if (parts.getAndSet(-1) > 0) {
      client.abort(this, x, clientSide);
    }
  }

  /** The exchange as the access log and the metrics see it, ended with {@code status}. */
  ProxiedRequest answered(int status) {
    return request.answered(status, bytes, begin);
  }

  /** Gives back the app's head if it was not sent. */
  void releaseOut() {
    if (out != null) {
      out.release();
      out = null;
    }
  }
}

package org.silverlining.node.front;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;

/**
 * A kept-alive connection from the front to one app process, for the byte-level proxy: one request
 * at a time, whose answer an {@link AnswerRelay} reads from it and passes on to the client; between
 * requests, whether it can be used again (not closed by the app, nothing unasked for in it).
 */
final class AppConnection extends AbstractConnection.NonBlocking {
  /** Larger answer heads are a bad answer (502), as with the node's HTTP client. */
  static final int INPUT = 16 * 1024;

  /** A connection idle this long is checked for a close by the app before it is used again. */
  private static final long CHECK_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final ProxyConnectionFactory front;
  private final ByteBufferPool pool;
  private final int port;
  private RetainableByteBuffer in;

  /** The head of the answer being relayed: one exchange at a time, so one for the connection. */
  private final ResponseHead answer = new ResponseHead();

  private final ResponseHead.Chunks chunks = new ResponseHead.Chunks();
  private final LastText typeText = new LastText();
  private org.eclipse.jetty.util.Promise<AppConnection> ready;
  private volatile boolean broken;
  private volatile long lastUsed = System.nanoTime();

  /** {@code ready}, when not null, is told once the connection is open. */
  AppConnection(
      ProxyConnectionFactory front,
      EndPoint endPoint,
      Executor executor,
      int port,
      org.eclipse.jetty.util.Promise<AppConnection> ready) {
    super(endPoint, executor);
    this.front = front;
    this.port = port;
    this.pool = front.byteBufferPool();
    this.ready = ready;
  }

  @Override
  public void onOpen() {
    super.onOpen();
    if (ready != null) {
      ready.succeeded(this);
      ready = null;
    }
  }

  int port() {
    return port;
  }

  @Override
  public void onFillable() {
    // Reads are driven by each answer's Download.
  }

  /**
   * Whether a new request can go out on this connection: open, its last answer ended cleanly, and
   * not closed by the app since (checked with one read when it has been idle a while).
   */
  boolean isReusable() {
    if (broken || !getEndPoint().isOpen()) {
      return false;
    }
    if (System.nanoTime() - lastUsed < CHECK_AFTER_NANOS) {
      return true;
    }
    try {
      ByteBuffer b = input();
      if (getEndPoint().fill(b) != 0) {
        broken = true; // closed, or bytes nobody asked for
        return false;
      }
      releaseInputIfEmpty();
      return true;
    } catch (Exception e) {
      broken = true;
      return false;
    }
  }

  /** The connection's input buffer, taken from the pool when it has none. */
  ByteBuffer input() {
    if (in == null) {
      in = pool.acquire(INPUT, true);
    }
    return in.getByteBuffer();
  }

  private void releaseInputIfEmpty() {
    if (in != null && !in.hasRemaining()) {
      in.release();
      in = null;
    }
  }

  /** Relays the answer to {@code e}'s request, which is about to be written. */
  void begin(Exchange e) {
    new AnswerRelay(this, e).iterate();
  }

  /** The head of the answer being relayed: one exchange at a time, so one for the connection. */
  ResponseHead answerHead() {
    return answer;
  }

  ResponseHead.Chunks chunks() {
    return chunks;
  }

  /** The answer's Content-Type, or null; the same string while the app sends the same. */
  String contentType() {
    ResponseHead a = answer;
    return a.contentType < 0 ? null : typeText.of(a.buf, a.typeStart, a.typeEnd);
  }

  ProxyConnectionFactory front() {
    return front;
  }

  ByteBufferPool pool() {
    return pool;
  }

  /** The connection is not to be used again: it failed, or its answer ended with its close. */
  void breakOff() {
    broken = true;
  }

  /**
   * After an answer was relayed whole: whether a next request may go out on this connection (the
   * app did not close it or send more than it was asked).
   */
  boolean answered() {
    lastUsed = System.nanoTime();
    boolean reusable = !broken && !answer.close && (in == null || !in.hasRemaining());
    if (!reusable) {
      broken = true;
    }
    releaseInputIfEmpty();
    return reusable;
  }

  @Override
  public boolean onIdleExpired(java.util.concurrent.TimeoutException timeout) {
    broken = true;
    return true;
  }

  @Override
  public void onClose(Throwable cause) {
    super.onClose(cause);
    broken = true;
    front.unpark(this);
  }
}

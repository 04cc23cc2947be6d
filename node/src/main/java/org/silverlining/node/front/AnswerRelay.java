package org.silverlining.node.front;

import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.silverlining.node.middleware.Header;

/**
 * Relays one answer from an {@link AppConnection} to the client: reads it and writes it, one buffer
 * at a time, each read paced by the client's taking the last — the head with hop-by-hop headers
 * taken out, the body as it is, framed by {@code Content-Length}, chunked encoding or the app
 * closing the connection, or compressed ({@link AnswerGzip}) for a client that takes it.
 */
final class AnswerRelay extends IteratingCallback {
  private final AppConnection app;
  private final Exchange e;
  private final ResponseHead answer;
  private final ByteBufferPool pool;
  private ResponseHead.Chunks chunks;
  private boolean body;
  private boolean hasBody;
  private boolean untilClose;
  private long left;
  private int pending;
  private boolean writing;
  private RetainableByteBuffer headOut;

  /** This answer's compression, when it is compressed, and the buffer of its chunks. */
  private AnswerGzip gzip;

  private RetainableByteBuffer zipped;
  private boolean zipDone;

  AnswerRelay(AppConnection app, Exchange e) {
    this.app = app;
    this.e = e;
    this.answer = app.answerHead();
    this.pool = app.pool();
  }

  @Override
  public InvocationType getInvocationType() {
    return InvocationType.NON_BLOCKING;
  }

  @Override
  protected Action process() throws Throwable {
    ByteBuffer b = app.input();
    writing = false;
    if (pending > 0) {
      b.position(b.position() + pending);
      e.bytes += pending;
      pending = 0;
    }
    if (headOut != null) {
      headOut.release();
      headOut = null;
    }
    EndPoint client = e.client.getEndPoint();
    while (true) {
      if (body && (gzip != null ? zipDone : done())) {
        return Action.SUCCEEDED;
      }
      if (b.hasRemaining()) {
        if (!body) {
          switch (answer.parse(b)) {
            case BAD -> throw new EofException("the app's answer is malformed");
            case INCOMPLETE -> {
              if (b.remaining() >= AppConnection.INPUT) {
                throw new EofException("the app's answer head is too large");
              }
            }
            case OK -> {
              b.position(answer.end);
              if (answer.status < 200) {
                if (answer.status == 101) {
                  throw new EofException("the app switched protocols unasked");
                }
                continue; // 100 Continue, 103 Early Hints: the final answer follows
              }
              startBody();
              if (e.request.gzip()
                  && AnswerGzip.applies(answer, app.contentType(), e.headRequest)) {
                gzip = app.front().gzip();
                gzip.begin();
              }
              headOut = clientHead();
              if (gzip != null) {
                return writeZipped(client, b, false);
              }
              int n = bodyBytes(b);
              pending = n;
              writing = true;
              if (n > 0) {
                client.write(this, headOut.getByteBuffer(), b.slice(b.position(), n));
              } else {
                client.write(this, headOut.getByteBuffer());
              }
              return Action.SCHEDULED;
            }
          }
        } else if (gzip != null) {
          return writeZipped(client, b, false);
        } else {
          int n = bodyBytes(b);
          if (n > 0) {
            pending = n;
            writing = true;
            client.write(this, b.slice(b.position(), n));
            return Action.SCHEDULED;
          }
        }
      }
      if (!b.hasRemaining()) {
        BufferUtil.clear(b);
      } else {
        BufferUtil.compact(b);
      }
      int n = app.getEndPoint().fill(b);
      if (n == 0) {
        app.getEndPoint().fillInterested(this);
        return Action.SCHEDULED;
      }
      if (n < 0) {
        if (body && untilClose) {
          app.breakOff();
          return gzip != null ? writeZipped(client, b, true) : Action.SUCCEEDED;
        }
        throw new EofException("the app closed the connection before the end of its answer");
      }
    }
  }

  /**
   * Compresses the body bytes in {@code b} into one chunk and writes it, after the head when that
   * has not gone yet; the gzip stream and the answer end with it once the app's answer has ({@code
   * eof}: by closing the connection).
   */
  private Action writeZipped(EndPoint client, ByteBuffer b, boolean eof) throws EofException {
    if (zipped == null) {
      zipped = pool.acquire(AnswerGzip.room(AppConnection.INPUT), true);
    }
    AnswerGzip g = gzip;
    g.open(zipped.getByteBuffer());
    int from = b.position();
    int end;
    if (chunks != null) {
      end = chunks.scan(b, from, b.limit(), g::take);
      if (end < 0) {
        throw new EofException("the app's chunked answer is malformed");
      }
    } else {
      int n = bodyBytes(b);
      if (n > 0) {
        g.take(b, from, n);
      }
      end = from + n;
    }
    b.position(end);
    zipDone = eof || done();
    g.close(zipDone);
    ByteBuffer chunk = zipped.getByteBuffer();
    e.bytes += chunk.remaining();
    writing = true;
    if (headOut != null) {
      client.write(this, headOut.getByteBuffer(), chunk);
    } else {
      client.write(this, chunk);
    }
    return Action.SCHEDULED;
  }

  /** Gives back what compression held. */
  private void releaseGzip() {
    if (gzip != null) {
      app.front().giveBack(gzip);
      gzip = null;
    }
    if (zipped != null) {
      zipped.release();
      zipped = null;
    }
  }

  private void startBody() {
    body = true;
    hasBody = answer.hasBody(e.headRequest);
    untilClose = hasBody && answer.contentLength < 0 && !answer.chunked;
    left = answer.contentLength;
    if (hasBody && answer.chunked) {
      chunks = app.chunks();
      chunks.reset();
    }
    e.status = answer.status;
    e.answerStarted = true;
    e.closeClient = untilClose;
  }

  private boolean done() {
    if (!hasBody) {
      return true;
    }
    if (chunks != null) {
      return chunks.done();
    }
    return !untilClose && left == 0;
  }

  /** How many of the buffered bytes belong to the body. */
  private int bodyBytes(ByteBuffer b) throws EofException {
    if (!hasBody || done()) {
      return 0;
    }
    if (chunks != null) {
      int end = chunks.scan(b, b.position(), b.limit());
      if (end < 0) {
        throw new EofException("the app's chunked answer is malformed");
      }
      return end - b.position();
    }
    if (untilClose) {
      return b.remaining();
    }
    int n = (int) Math.min(left, b.remaining());
    left -= n;
    return n;
  }

  /**
   * The head for the client: the app's, as HTTP/1.1, without hop-by-hop headers, and with the
   * middleware's headers in place of the app's of the same names.
   */
  private RetainableByteBuffer clientHead() {
    ResponseHead a = answer;
    ByteBuffer b = a.buf;
    List<Header> set = e.toClient;
    RetainableByteBuffer out = pool.acquire(a.end - a.start + 160 + ProxyHead.size(set), true);
    ByteBuffer o = out.getByteBuffer();
    int pos = BufferUtil.flipToFill(o);
    o.put(ProxyHead.HTTP_11);
    int line = a.statusStart;
    int eol = line;
    while (b.get(eol) != '\n') {
      eol++;
    }
    putLine(o, b, line, eol);
    boolean zip = gzip != null;
    for (int i = 0; i < a.count; i++) {
      if (a.dropped[i]
          || zip && (i == a.lengthLine || i == a.transferEncoding)
          || !set.isEmpty() && ProxyHead.namedAny(b, a.lineStart[i], set)) {
        continue;
      }
      if (zip && i == a.etag) {
        AnswerGzip.putEtag(o, b, a.lineStart[i], a.etagEnd);
      } else {
        putLine(o, b, a.lineStart[i], a.lineEnd[i] - 1);
      }
    }
    ProxyHead.headers(o, set);
    // the full server's compression names Accept-Encoding in every answer that names nothing
    if (a.vary < 0 && (set.isEmpty() || !ProxyHead.sets(set, "Vary"))) {
      o.put(ProxyHead.VARY_ACCEPT_ENCODING);
    }
    if (zip) {
      o.put(ProxyHead.GZIPPED);
    }
    if (e.close || e.closeClient) {
      o.put(ProxyHead.CONNECTION_CLOSE);
    }
    o.put(ProxyHead.CRLF);
    BufferUtil.flipToFlush(o, pos);
    return out;
  }

  /** The line from {@code from} to the LF at {@code lf} (a CR before it left out), then CRLF. */
  private static void putLine(ByteBuffer o, ByteBuffer b, int from, int lf) {
    int end = lf > from && b.get(lf - 1) == '\r' ? lf - 1 : lf;
    ProxyHead.copy(o, b, from, end - from);
    o.put(ProxyHead.CRLF);
  }

  @Override
  protected void onCompleteSuccess() {
    releaseGzip();
    e.appReusable = app.answered();
    e.part();
  }

  @Override
  protected void onCompleteFailure(Throwable x) {
    app.breakOff();
    releaseGzip();
    if (headOut != null) {
      headOut.release();
      headOut = null;
    }
    e.fail(x, writing);
  }
}

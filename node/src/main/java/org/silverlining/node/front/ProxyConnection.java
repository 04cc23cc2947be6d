package org.silverlining.node.front;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.silverlining.node.middleware.Decision;
import org.silverlining.node.middleware.Header;
import org.silverlining.node.middleware.MiddlewareChain;
import org.silverlining.node.process.InstanceProcesses;
import org.silverlining.node.staticfiles.FileRequest;
import org.silverlining.node.staticfiles.StaticAnswer;

/**
 * A client's plain-HTTP connection to the front, on the byte-level path: reads a request head into
 * a pooled buffer, parses it in place ({@link RequestHead}), routes it, asks the location's
 * middleware, and answers it — with the middleware's answer, from a file ({@link FileAnswers}), or
 * through an {@link Exchange} with the app: {@link RequestUpload} sends the request (its head
 * written by {@link AppRequestHead}) on a kept-alive {@link AppConnection}, which relays the
 * answer. All of it runs on the selector threads, without blocking and without a hand-off to a
 * worker thread (but for middleware that may wait). A request this path does not take is answered
 * by the full HTTP server, to which the connection is handed over with the bytes already read.
 *
 * <p>One request at a time: a pipelined request waits in the buffer until the answer before it has
 * gone out.
 */
final class ProxyConnection extends AbstractConnection.NonBlocking
    implements Connection.UpgradeFrom {
  private final ProxyConnectionFactory front;
  private final Connector connector;
  private final ByteBufferPool pool;
  private final RequestHead head = new RequestHead();
  private final String remote;
  private final int localPort;
  private final LastText hostText = new LastText();
  private final LastText pathText = new LastText();
  private final LastText targetText = new LastText();
  private final LastText methodText = new LastText();
  private final GzipAcceptance gzip = new GzipAcceptance();
  private final AppRequestHead appHead;
  private RetainableByteBuffer in;
  private AppConnection app;
  private volatile Exchange exchange;

  ProxyConnection(ProxyConnectionFactory front, Connector connector, EndPoint endPoint) {
    super(endPoint, connector.getExecutor());
    this.front = front;
    this.connector = connector;
    this.pool = connector.getByteBufferPool();
    this.remote = address(endPoint.getRemoteSocketAddress());
    this.appHead = new AppRequestHead(pool, remote, address(endPoint.getLocalSocketAddress()));
    this.localPort =
        endPoint.getLocalSocketAddress() instanceof InetSocketAddress a ? a.getPort() : 80;
  }

  private static String address(SocketAddress a) {
    return a instanceof InetSocketAddress i && i.getAddress() != null
        ? i.getAddress().getHostAddress()
        : String.valueOf(a);
  }

  @Override
  public void onOpen() {
    super.onOpen();
    fillInterested();
  }

  @Override
  public void onFillable() {
    readHead();
  }

  /** Reads until a whole request head is in, then starts its exchange. */
  private void readHead() {
    try {
      while (true) {
        ByteBuffer b = input();
        if (b.hasRemaining()) {
          switch (head.parse(b)) {
            case PLAIN -> {
              // a banned client is refused by the full server's first handler
              if (front.banned(remote) || !start()) {
                handOver();
              }
              return;
            }
            case OTHER -> {
              handOver();
              return;
            }
            case BAD -> {
              front.refused(remote, 400, b);
              refuse(ProxyHead.BAD_REQUEST);
              return;
            }
            case TOO_LARGE -> {
              front.refused(remote, 431, b);
              refuse(ProxyHead.TOO_LARGE);
              return;
            }
            case INCOMPLETE -> BufferUtil.compact(b);
          }
        }
        int n = getEndPoint().fill(b);
        if (n == 0) {
          releaseInputIfEmpty();
          fillInterested();
          return;
        }
        if (n < 0) {
          close();
          return;
        }
      }
    } catch (Throwable x) {
      getEndPoint().close(x);
    }
  }

  private ByteBuffer input() {
    if (in == null) {
      in = pool.acquire(RequestHead.MAX_HEAD, true);
    }
    return in.getByteBuffer();
  }

  private void releaseInputIfEmpty() {
    if (in != null && !in.hasRemaining()) {
      in.release();
      in = null;
    }
  }

  /** Starts the exchange of the parsed head; false when the full server should answer it. */
  private boolean start() {
    RequestHead h = head;
    ByteBuffer b = h.buf;
    int hostStart = h.valueStart[h.host];
    int hostEnd = h.valueEnd[h.host];
    String host = hostText.of(b, hostStart, hostEnd);
    String path = pathText.of(b, h.targetStart, h.pathEnd);
    ProxyConnectionFactory.Target target = front.route(remote, host, h.hostPort(localPort), path);
    if (target == null || target.chain().errorPages() != null) {
      // The errors pack replaces an answer whose head is already parsed: the full server's
      // MiddlewareHandler does that.
      return false;
    }
    String method = methodText.of(b, h.start, h.methodEnd);
    String pathQuery = targetText.of(b, h.targetStart, h.targetEnd);
    HeadView view = new HeadView(h, remote, method, pathQuery, path);
    StaticAnswer file =
        front.fileAnswer(
            target,
            new FileRequest(
                method,
                target.match().remainingPath(),
                RouteTable.normalizeHost(host),
                view::header));
    if (file == ProxyConnectionFactory.TO_SERVER) {
      return false;
    }
    boolean gzip = this.gzip.of(h);
    int port = file == null ? appPort(target, gzip) : 0;
    if (port < 0) {
      return false;
    }
    RoutedRequest r = new RoutedRequest(remote, target, host, method, pathQuery, port, file, gzip);
    MiddlewareChain chain = target.chain();
    if (chain.isEmpty()) {
      proceed(r, Decision.PASS);
    } else if (chain.mayWait(view)) {
      getExecutor().execute(() -> decideThenProceed(chain, view, r));
    } else {
      proceed(r, chain.decide(view));
    }
    return true;
  }

  /**
   * The port of the app process the request goes to (the one this connection used last while it is
   * usable), or -1 for the full server: no process, or a conditional request whose answer may be
   * compressed (the full server matches its {@code ETag}s against those of its compressed answers).
   */
  private int appPort(ProxyConnectionFactory.Target target, boolean gzip) {
    InstanceProcesses processes = target.live().processes();
    if (processes == null || gzip && head.conditional) {
      return -1;
    }
    if (app != null && !(processes.isRunningOn(app.port()) && app.isReusable())) {
      app.close();
      app = null;
    }
    return app != null ? app.port() : processes.pickPort();
  }

  /** Asks a chain that may wait, on a worker thread, then goes on as its answer says. */
  private void decideThenProceed(MiddlewareChain chain, HeadView view, RoutedRequest r) {
    try {
      Decision d = chain.decide(view);
      if (getEndPoint().isOpen()) {
        proceed(r, d);
      }
    } catch (Throwable x) {
      getEndPoint().close(x);
    }
  }

  /** Answers the request as the middleware decided, from a file, or passes it on to the app. */
  private void proceed(RoutedRequest r, Decision decision) {
    if (decision instanceof Decision.Answer answer) {
      answer(r, answer);
      return;
    }
    Decision.Pass pass = (Decision.Pass) decision;
    if (r.file() != null) {
      sendFile(r, pass.toClient());
      return;
    }
    RequestHead h = head;
    r.target().live().processes().acquire();
    Exchange e =
        new Exchange(
            this, r, h.contentLength < 0 ? 0 : h.contentLength, h.close, h.head, pass.toClient());
    e.out = appHead.write(h, r.target().match(), r.host(), pass.toUpstream());
    exchange = e;
    if (app == null) {
      app = front.parkedAt(r.port());
    }
    if (app != null) {
      send(e);
    } else {
      front.connect(
          connector,
          getEndPoint(),
          r.port(),
          new org.eclipse.jetty.util.Promise<AppConnection>() {
            @Override
            public void succeeded(AppConnection a) {
              app = a;
              send(e);
            }

            @Override
            public void failed(Throwable x) {
              e.fail(x, false);
            }
          });
    }
  }

  /** Sends the answer from a file ({@link FileAnswers}), with the middleware's headers. */
  private void sendFile(RoutedRequest r, List<Header> toClient) {
    RequestHead h = head;
    boolean close = h.close || h.contentLength > 0; // a body nobody reads
    boolean headOnly = h.head;
    in.getByteBuffer().position(h.end);
    long begin = System.nanoTime();
    StaticAnswer a = r.file();
    long bytes = a.file() == null || headOnly ? 0 : a.length();
    front
        .fileAnswers()
        .send(
            getEndPoint(),
            a,
            toClient,
            close,
            headOnly,
            Callback.from(
                InvocationType.NON_BLOCKING,
                () -> {
                  report(r, a.status(), bytes, begin);
                  next(close);
                },
                x -> {
                  report(r, 499, 0, begin);
                  close();
                }));
  }

  /**
   * Sends a middleware pack's answer (a refusal, a login challenge) in place of the app's, and
   * records it; the connection goes on unless the request has a body, which is not read.
   */
  private void answer(RoutedRequest r, Decision.Answer answer) {
    RequestHead h = head;
    if (answer.event() != null) {
      front.refused(remote, r.method(), pathText.text(), answer.event());
    }
    boolean close = h.close || h.contentLength > 0;
    in.getByteBuffer().position(h.end);
    long begin = System.nanoTime();
    byte[] body = h.head ? new byte[0] : answer.body();
    report(r, answer.status(), body.length, begin);
    getEndPoint()
        .write(
            Callback.from(() -> next(close), x -> close()),
            ByteBuffer.wrap(ProxyHead.answer(answer, close)),
            ByteBuffer.wrap(body));
  }

  private void send(Exchange e) {
    e.app = app;
    app.begin(e);
    new RequestUpload(e, getEndPoint(), in.getByteBuffer(), head.end).iterate();
  }

  /** Hands the connection over to the full HTTP server, which reads the request again. */
  private void handOver() {
    front.handOver(connector, getEndPoint());
  }

  @Override
  public ByteBuffer onUpgradeFrom() {
    if (in == null || !in.hasRemaining()) {
      return null;
    }
    ByteBuffer rest = BufferUtil.copy(in.getByteBuffer());
    in.getByteBuffer().position(in.getByteBuffer().limit());
    return rest;
  }

  private void refuse(byte[] answer) {
    getEndPoint().write(Callback.from(this::close, x -> close()), ByteBuffer.wrap(answer));
  }

  @Override
  public boolean onIdleExpired(TimeoutException timeout) {
    // While an exchange is under way, the app connection's idle timeout is the one that counts.
    return exchange == null;
  }

  @Override
  public void onClose(Throwable cause) {
    super.onClose(cause);
    Exchange e = exchange;
    if (e != null) {
      e.fail(cause == null ? new EofException("the client closed the connection") : cause, true);
    }
    AppConnection a = app;
    app = null;
    if (a != null) {
      if (e == null && a.isReusable()) {
        front.park(a);
      } else {
        a.close();
      }
    }
    if (in != null && e == null) {
      in.release();
      in = null;
    }
  }

  /** After an exchange's answer has gone out whole. */
  void finish(Exchange e) {
    exchange = null;
    e.request.target().live().processes().release();
    report(e, e.status);
    if (!e.appReusable && app != null) {
      app.close();
      app = null;
    }
    next(e.close || e.closeClient);
  }

  /** After an answer: closes the connection, or reads the next request. */
  private void next(boolean close) {
    if (close) {
      getEndPoint().shutdownOutput();
      close();
      return;
    }
    if (in != null && in.hasRemaining()) {
      getExecutor().execute(this::readHead); // a pipelined request: on a fresh stack
    } else {
      releaseInputIfEmpty();
      fillInterested();
    }
  }

  /**
   * After an exchange failed: a 502 or 504 when nothing of the answer has gone out yet, else the
   * connection closed.
   */
  void abort(Exchange e, Throwable x, boolean clientSide) {
    exchange = null;
    e.request.target().live().processes().release();
    AppConnection a = app;
    app = null;
    if (a != null) {
      a.close();
    }
    e.releaseOut();
    if (e.answerStarted || clientSide || !getEndPoint().isOpen()) {
      report(e, e.answerStarted ? e.status : 499);
      close();
      return;
    }
    boolean timeout = x instanceof TimeoutException;
    report(e, timeout ? 504 : 502);
    getEndPoint()
        .write(
            Callback.from(this::close, f -> close()),
            ByteBuffer.wrap(timeout ? ProxyHead.GATEWAY_TIMEOUT : ProxyHead.BAD_GATEWAY));
  }

  private void report(Exchange e, int status) {
    front.answered(e.answered(status));
  }

  private void report(RoutedRequest r, int status, long bytes, long begin) {
    front.answered(r.answered(status, bytes, begin));
  }
}

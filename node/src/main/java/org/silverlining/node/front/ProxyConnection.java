package org.silverlining.node.front;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.silverlining.node.middleware.Decision;
import org.silverlining.node.middleware.Header;
import org.silverlining.node.middleware.MiddlewareChain;
import org.silverlining.node.process.InstanceProcesses;
import org.silverlining.node.staticfiles.FileRequest;
import org.silverlining.node.staticfiles.StaticAnswer;

/**
 * A client's plain-HTTP connection to the front, on the byte-level path: reads a request head into
 * a pooled buffer, parses it in place ({@link RequestHead}), routes it, writes it with the
 * forwarding headers to a kept-alive {@link AppConnection} and passes its body on, while the app
 * connection relays the answer. All of it runs on the selector threads, without blocking and
 * without a hand-off to a worker thread. A request this path does not take is answered by the full
 * HTTP server, to which the connection is handed over with the bytes already read.
 *
 * <p>One request at a time: a pipelined request waits in the buffer until the answer before it has
 * gone out.
 */
final class ProxyConnection extends AbstractConnection.NonBlocking
    implements Connection.UpgradeFrom {
  private static final byte[] BAD_REQUEST =
      answer("400 Bad Request", "The request is malformed or ambiguous.\n");
  private static final byte[] TOO_LARGE =
      answer("431 Request Header Fields Too Large", "The request's head is too large.\n");
  private static final byte[] BAD_GATEWAY =
      answer("502 Bad Gateway", "The application did not answer properly.\n");
  private static final byte[] GATEWAY_TIMEOUT =
      answer("504 Gateway Timeout", "The application did not answer in time.\n");

  private final ProxyConnectionFactory front;
  private final Connector connector;
  private final ByteBufferPool pool;
  private final RequestHead head = new RequestHead();
  private final String remote;
  private final String local;
  private final int localPort;
  private final Text hostText = new Text();
  private final Text pathText = new Text();
  private final Text targetText = new Text();
  private final Text methodText = new Text();
  private String forwardedHost;
  private String forwarded;
  private RetainableByteBuffer in;
  private AppConnection app;
  private volatile Exchange exchange;

  ProxyConnection(ProxyConnectionFactory front, Connector connector, EndPoint endPoint) {
    super(endPoint, connector.getExecutor());
    this.front = front;
    this.connector = connector;
    this.pool = connector.getByteBufferPool();
    this.remote = address(endPoint.getRemoteSocketAddress());
    this.local = address(endPoint.getLocalSocketAddress());
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
              refuse(BAD_REQUEST);
              return;
            }
            case TOO_LARGE -> {
              front.refused(remote, 431, b);
              refuse(TOO_LARGE);
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
    ProxyConnectionFactory.Target target =
        front.route(remote, host, port(b, hostStart, hostEnd), path);
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
    int port = file == null ? appPort(target) : 0;
    if (port < 0) {
      return false;
    }
    Routed r = new Routed(target, host, method, pathQuery, port, file);
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
   * A request routed on this path: to {@code file}'s answer, or else to the app at {@code port}.
   */
  private record Routed(
      ProxyConnectionFactory.Target target,
      String host,
      String method,
      String pathQuery,
      int port,
      StaticAnswer file) {}

  /**
   * The port of the app process the request goes to (the one this connection used last while it is
   * usable), or -1 for the full server: no process, or compression asked for, which the full server
   * does ({@link AppCompression}).
   */
  private int appPort(ProxyConnectionFactory.Target target) {
    InstanceProcesses processes = target.live().processes();
    if (processes == null || head.acceptEncoding) {
      return -1;
    }
    if (app != null && !(processes.isRunningOn(app.port()) && app.isReusable())) {
      app.close();
      app = null;
    }
    return app != null ? app.port() : processes.pickPort();
  }

  /** Asks a chain that may wait, on a worker thread, then goes on as its answer says. */
  private void decideThenProceed(MiddlewareChain chain, HeadView view, Routed r) {
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
  private void proceed(Routed r, Decision decision) {
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
            r.target(),
            r.method(),
            r.host(),
            r.pathQuery(),
            h.contentLength < 0 ? 0 : h.contentLength,
            h.close,
            h.head,
            pass.toClient());
    e.out = appHead(r.target().match(), r.host(), pass.toUpstream());
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
  private void sendFile(Routed r, List<Header> toClient) {
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
  private void answer(Routed r, Decision.Answer answer) {
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

  /** The port the client asked for: the Host header's, else the one it connected to. */
  private int port(ByteBuffer b, int from, int to) {
    int port = 0;
    for (int i = to - 1, scale = 1; i >= from; i--, scale *= 10) {
      byte c = b.get(i);
      if (c == ':') {
        return i < to - 1 && port > 0 && port < 65536 ? port : localPort;
      }
      if (c < '0' || c > '9' || scale > 10000) {
        return localPort;
      }
      port += (c - '0') * scale;
    }
    return localPort;
  }

  private void send(Exchange e) {
    e.app = app;
    app.begin(e);
    new Upload(e).iterate();
  }

  /**
   * The head the app gets: the request line with the path below the location's prefix, the client's
   * headers but hop-by-hop and internal ones, and the forwarding headers ({@link
   * ForwardedRequest}).
   */
  private RetainableByteBuffer appHead(RouteMatch match, String host, List<Header> set) {
    RequestHead h = head;
    ByteBuffer b = h.buf;
    String priorFor = null;
    StringBuilder priorForwarded = null;
    StringBuilder priorVia = null;
    for (int i = 0; i < h.count; i++) {
      switch (h.kind[i]) {
        case RequestHead.FORWARDED_FOR -> {
          if (priorFor == null) {
            priorFor = RequestHead.ascii(b, h.valueStart[i], h.valueEnd[i]);
          }
        }
        case RequestHead.FORWARDED -> priorForwarded = join(priorForwarded, b, h, i);
        case RequestHead.VIA -> priorVia = join(priorVia, b, h, i);
        default -> {}
      }
    }
    String xff = ForwardedRequest.forwardedFor(priorFor, remote);
    String fwd;
    if (priorForwarded == null && host == forwardedHost) {
      fwd = forwarded;
    } else {
      fwd =
          ForwardedRequest.forwarded(
              priorForwarded == null ? null : priorForwarded.toString(),
              local,
              remote,
              host,
              false);
      if (priorForwarded == null) {
        forwardedHost = host;
        forwarded = fwd;
      }
    }
    String via =
        priorVia == null
            ? ProxyHead.VIA
            : ForwardedRequest.via(priorVia.toString(), "HTTP/1.1", ForwardedRequest.VIA_HOST);
    String prefix = match.prefix();
    int size =
        h.end
            - h.start
            + xff.length()
            + fwd.length()
            + via.length()
            + 2 * host.length()
            + ProxyHead.size(set);
    RetainableByteBuffer out = pool.acquire(size + prefix.length() + 160, true);
    ByteBuffer o = out.getByteBuffer();
    int pos = BufferUtil.flipToFill(o);
    ProxyHead.copy(o, b, h.start, h.methodEnd + 1 - h.start);
    int path = h.targetStart;
    if (!prefix.isEmpty() && h.pathEnd - path >= prefix.length()) {
      path += prefix.length();
    }
    if (path == h.pathEnd) {
      o.put((byte) '/');
    }
    ProxyHead.copy(o, b, path, h.targetEnd - path);
    ProxyHead.put(o, " HTTP/1.1\r\n");
    for (int i = 0; i < h.count; i++) {
      byte k = h.kind[i];
      if ((k == RequestHead.PASS || k == RequestHead.HOST)
          && (set.isEmpty() || !ProxyHead.namedAny(b, h.nameStart[i], set))) {
        ProxyHead.copy(o, b, h.nameStart[i], h.valueEnd[i] - h.nameStart[i]);
        o.put(ProxyHead.CRLF);
      }
    }
    ProxyHead.headers(o, set);
    ProxyHead.header(o, "X-Forwarded-For: ", xff);
    o.put(ProxyHead.PROTO_HTTP);
    ProxyHead.header(o, "X-Forwarded-Host: ", host);
    if (!prefix.isEmpty()) {
      ProxyHead.header(o, "X-Forwarded-Prefix: ", prefix);
    }
    ProxyHead.header(o, "Forwarded: ", fwd);
    ProxyHead.header(o, "Via: ", via);
    o.put(ProxyHead.CRLF);
    BufferUtil.flipToFlush(o, pos);
    return out;
  }

  private static StringBuilder join(StringBuilder to, ByteBuffer b, RequestHead h, int i) {
    StringBuilder s = to == null ? new StringBuilder() : to.append(", ");
    for (int k = h.valueStart[i]; k < h.valueEnd[i]; k++) {
      s.append((char) (b.get(k) & 0xff));
    }
    return s;
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

  private static byte[] answer(String status, String body) {
    return ("HTTP/1.1 "
            + status
            + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
            + body.length()
            + "\r\nConnection: close\r\n\r\n"
            + body)
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** The last text read from a range of bytes: the same string while the bytes stay the same. */
  private static final class Text {
    private byte[] bytes = new byte[0];
    private String text;

    /** The last text read. */
    String text() {
      return text;
    }

    String of(ByteBuffer b, int from, int to) {
      int n = to - from;
      if (n == bytes.length && text != null) {
        boolean same = true;
        for (int i = 0; i < n && same; i++) {
          same = b.get(from + i) == bytes[i];
        }
        if (same) {
          return text;
        }
      }
      bytes = new byte[n];
      b.get(from, bytes);
      text = new String(bytes, StandardCharsets.ISO_8859_1);
      return text;
    }
  }

  /** Sends the request's head and body to the app. */
  private final class Upload extends IteratingCallback {
    private final Exchange e;
    private boolean headSent;
    private int pending;
    private boolean readingClient;

    Upload(Exchange e) {
      this.e = e;
    }

    @Override
    public InvocationType getInvocationType() {
      return InvocationType.NON_BLOCKING;
    }

    @Override
    protected Action process() throws Throwable {
      ByteBuffer b = in.getByteBuffer();
      readingClient = false;
      if (pending > 0) {
        b.position(b.position() + pending);
        e.bodyLeft -= pending;
        pending = 0;
      }
      EndPoint to = e.app.getEndPoint();
      if (!headSent) {
        headSent = true;
        b.position(head.end);
        pending = (int) Math.min(e.bodyLeft, b.remaining());
        if (pending > 0) {
          to.write(this, e.out.getByteBuffer(), b.slice(b.position(), pending));
        } else {
          to.write(this, e.out.getByteBuffer());
        }
        return Action.SCHEDULED;
      }
      if (e.out != null) {
        e.out.release();
        e.out = null;
      }
      if (e.bodyLeft == 0) {
        return Action.SUCCEEDED;
      }
      if (!b.hasRemaining()) {
        BufferUtil.clear(b);
        readingClient = true;
        int n = getEndPoint().fill(b);
        if (n < 0) {
          throw new EofException("the client closed the connection in the middle of a request");
        }
        if (n == 0) {
          getEndPoint().fillInterested(this);
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

  /** One request under way: what it is, where it went, and how its two halves are doing. */
  final class Exchange {
    final ProxyConnectionFactory.Target target;
    final String method;
    final String host;
    final String pathQuery;
    final boolean close;
    final boolean headRequest;

    /** Headers the middleware puts on the answer, in place of the app's of the same names. */
    final List<Header> toClient;

    final long begin = System.nanoTime();
    long bodyLeft;
    RetainableByteBuffer out;
    AppConnection app;

    /** The request's upload and the answer's download: the exchange ends when both have. */
    private final AtomicInteger parts = new AtomicInteger(2);

    volatile int status;
    volatile long bytes;
    volatile boolean answerStarted;
    volatile boolean closeClient;
    volatile boolean appReusable;

    Exchange(
        ProxyConnectionFactory.Target target,
        String method,
        String host,
        String pathQuery,
        long bodyLeft,
        boolean close,
        boolean headRequest,
        List<Header> toClient) {
      this.target = target;
      this.toClient = toClient;
      this.method = method;
      this.host = host;
      this.pathQuery = pathQuery;
      this.bodyLeft = bodyLeft;
      this.close = close;
      this.headRequest = headRequest;
    }

    ProxyConnection client() {
      return ProxyConnection.this;
    }

    void part() {
      if (parts.decrementAndGet() == 0) {
        finish(this);
      }
    }

    /** Ends the exchange on a failure: {@code clientSide} when the client went away. */
    void fail(Throwable x, boolean clientSide) {
      if (parts.getAndSet(-1) > 0) {
        abort(this, x, clientSide);
      }
    }
  }

  private void finish(Exchange e) {
    exchange = null;
    e.target.live().processes().release();
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

  private void abort(Exchange e, Throwable x, boolean clientSide) {
    exchange = null;
    e.target.live().processes().release();
    AppConnection a = app;
    app = null;
    if (a != null) {
      a.close();
    }
    if (e.out != null) {
      e.out.release();
      e.out = null;
    }
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
            ByteBuffer.wrap(timeout ? GATEWAY_TIMEOUT : BAD_GATEWAY));
  }

  private void report(Exchange e, int status) {
    report(e.method, e.host, e.pathQuery, e.target, status, e.bytes, e.begin);
  }

  private void report(Routed r, int status, long bytes, long begin) {
    report(r.method(), r.host(), r.pathQuery(), r.target(), status, bytes, begin);
  }

  private void report(
      String method,
      String host,
      String pathQuery,
      ProxyConnectionFactory.Target target,
      int status,
      long bytes,
      long begin) {
    front.answered(
        new ProxiedRequest(
            remote,
            RouteTable.normalizeHost(host),
            method,
            pathQuery,
            status,
            bytes,
            begin,
            System.nanoTime() - begin,
            target.match(),
            target.live()));
  }
}

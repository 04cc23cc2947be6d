package org.silverlining.node.front;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Promise;
import org.silverlining.core.Runtime;
import org.silverlining.node.middleware.MiddlewareChain;
import org.silverlining.node.middleware.MiddlewareChains;
import org.silverlining.node.middleware.Refusal;
import org.silverlining.node.security.BadRequests;
import org.silverlining.node.security.SecurityEvent;
import org.silverlining.node.security.SecurityLog;
import org.silverlining.node.staticfiles.FileRequest;
import org.silverlining.node.staticfiles.StaticAnswer;

/**
 * The front's plain-HTTP connections: a byte-level HTTP/1.1 path ({@link ProxyConnection}) for the
 * requests it can answer as the full server would — passed on as they are to a running app process,
 * or answered from the app's files ({@link FileAnswers}); no redirect to HTTPS, nothing unusual in
 * the head — after asking the location's middleware chain, the same one the full server asks, and
 * the node's full Jetty HTTP server for everything else (PHP, {@code .asis} files, WebSocket
 * upgrades, the node's own pages, the {@code errors} pack, a conditional request whose answer may
 * be compressed, HTTP/1.0, odd heads), to which a connection is handed over, with the bytes it has
 * read, at its first such request.
 *
 * <p>Connections to apps ({@link AppConnection}) are kept alive: each client connection keeps the
 * one it used last, and parks it here when it closes, for the next client connection to the same
 * process. No lock is taken per request.
 */
public final class ProxyConnectionFactory extends AbstractConnectionFactory {
  static final String PROTOCOL = "silver-proxy/1.1";
  private static final String PORT = "silver.app.port";

  private final HttpConnectionFactory http;
  private final Routing routing;
  private final InstanceSource instances;
  private final StaticFilesHandler files;
  private final Predicate<String> nodePaths;
  private final Predicate<String> fromBalancer;
  private final BiPredicate<String, String> redirects;
  private final Consumer<ProxiedRequest> answered;
  private final MiddlewareChains middleware;
  private final SecurityLog security;
  private final FileAnswers fileAnswers;
  private final ClientConnector apps =
      new ClientConnector() {
        @Override
        protected Connection newConnection(EndPoint endPoint, Map<String, Object> context) {
          return new AppConnection(
              ProxyConnectionFactory.this,
              endPoint,
              getExecutor(),
              (Integer) context.get(PORT),
              null);
        }
      };
  private final Map<Integer, ConcurrentLinkedDeque<AppConnection>> parked =
      new ConcurrentHashMap<>();
  private static final java.net.InetAddress LOOPBACK = java.net.InetAddress.getLoopbackAddress();

  /**
   * Encoders kept between compressed answers, at most {@link #IDLE_GZIPS}: each holds a few hundred
   * KiB of zlib's memory, so there is one per answer being compressed, not one per connection.
   */
  private final java.util.concurrent.ConcurrentLinkedQueue<AnswerGzip> gzips =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  private final java.util.concurrent.atomic.AtomicInteger idleGzips =
      new java.util.concurrent.atomic.AtomicInteger();
  private static final int IDLE_GZIPS = 2 * java.lang.Runtime.getRuntime().availableProcessors();

  /**
   * @param http the full HTTP server's connections, for what this path leaves to it
   * @param nodePaths paths the node answers itself before routing (ACME challenges, health)
   * @param fromBalancer whether a client address is a nodeset balancer's, whose forwarded headers
   *     the full server keeps ({@link TrustedForwarding})
   * @param redirects whether a plain-HTTP request to (app, host) is redirected to HTTPS
   * @param answered told of every request answered here, for the access log and metrics
   * @param middleware the locations' middleware, asked here as the full server's {@link
   *     MiddlewareHandler} asks it
   * @param security where the heads this path refuses are recorded, and who is banned
   */
  public ProxyConnectionFactory(
      Server server,
      HttpConnectionFactory http,
      Routing routing,
      InstanceSource instances,
      StaticFilesHandler files,
      Predicate<String> nodePaths,
      Predicate<String> fromBalancer,
      BiPredicate<String, String> redirects,
      Consumer<ProxiedRequest> answered,
      MiddlewareChains middleware,
      SecurityLog security) {
    super(PROTOCOL);
    this.http = http;
    this.routing = routing;
    this.instances = instances;
    this.files = files;
    this.nodePaths = nodePaths;
    this.fromBalancer = fromBalancer;
    this.redirects = redirects;
    this.answered = answered;
    this.middleware = middleware;
    this.security = security;
    this.fileAnswers = new FileAnswers(server.getByteBufferPool());
    apps.setExecutor(server.getThreadPool());
    apps.setScheduler(server.getScheduler());
    apps.setByteBufferPool(server.getByteBufferPool());
    apps.setSelectors(1);
    apps.setConnectTimeout(Duration.ofMillis(AppProxyHandler.UPSTREAM_CONNECT_MILLIS));
    apps.setIdleTimeout(Duration.ofMillis(AppProxyHandler.UPSTREAM_IDLE_MILLIS));
    addBean(apps);
  }

  @Override
  public Connection newConnection(Connector connector, EndPoint endPoint) {
    return configure(new ProxyConnection(this, connector, endPoint), connector, endPoint);
  }

  /** Hands {@code endPoint} over to the full HTTP server; its bytes read so far go with it. */
  void handOver(Connector connector, EndPoint endPoint) {
    endPoint.upgrade(http.newConnection(connector, endPoint));
  }

  /**
   * Where a plain request from {@code remote} goes: its route and live instance, or null to leave
   * it to the server.
   */
  Target route(String remote, String host, int port, String path) {
    if (nodePaths.test(path) || fromBalancer.test(remote)) {
      return null;
    }
    RouteMatch match = routing.table().match(host, port, path).orElse(null);
    if (match == null
        || routing.isDisabled(match.route().app())
        || !instances.isRunning(match.instance())) {
      return null;
    }
    LiveInstance live = instances.live(match.instance()).getNow(null);
    if (live == null
        || live.files().writableRoot() != null
        || live.processes() != null && live.processes().config().runtime() == Runtime.PHP
        || redirects.test(match.route().app(), RouteTable.normalizeHost(host))) {
      return null;
    }
    return new Target(match, live, middleware.of(match.route().location()));
  }

  /** Where a request goes, and the middleware it passes first. */
  record Target(RouteMatch match, LiveInstance live, MiddlewareChain chain) {}

  /** What {@link #fileAnswer} gives for a request the full server should answer. */
  static final StaticAnswer TO_SERVER = new StaticAnswer(0, null, 0, 0, java.util.List.of());

  /**
   * The answer from {@code target}'s files, null when it goes to the app, or {@link #TO_SERVER} for
   * what this path does not send ({@code .asis} files, the node's pages, errors).
   */
  StaticAnswer fileAnswer(Target target, FileRequest request) {
    try {
      StaticAnswer a = files.answer(target.live(), request);
      if (a == null) {
        return target.live().processes() == null
                || StaticFilesHandler.isAsis(target.live(), request)
            ? TO_SERVER
            : null;
      }
      return a.status() == 404 ? TO_SERVER : a;
    } catch (java.io.IOException e) {
      return TO_SERVER; // the full server finds out again, and answers the error
    }
  }

  FileAnswers fileAnswers() {
    return fileAnswers;
  }

  /** An idle connection to the app process at {@code port}, or null. */
  AppConnection parkedAt(int port) {
    ConcurrentLinkedDeque<AppConnection> idle = parked.get(port);
    for (AppConnection a; idle != null && (a = idle.pollFirst()) != null; ) {
      if (a.isReusable()) {
        return a;
      }
      a.close();
    }
    return null;
  }

  void park(AppConnection app) {
    parked.computeIfAbsent(app.port(), p -> new ConcurrentLinkedDeque<>()).offerFirst(app);
  }

  void unpark(AppConnection app) {
    ConcurrentLinkedDeque<AppConnection> idle = parked.get(app.port());
    if (idle != null) {
      idle.removeFirstOccurrence(app);
    }
  }

  /**
   * Opens a connection to the app process at {@code port}: on the selector of the {@code client}'s
   * end point when the connect completes at once (as on loopback it does), so that both sides of an
   * exchange run on one thread; else through the client connector.
   */
  void connect(Connector connector, EndPoint client, int port, Promise<AppConnection> ready) {
    if (client instanceof FrontConnector.FrontEndPoint front) {
      SocketChannel channel = null;
      try {
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (channel.connect(new InetSocketAddress(LOOPBACK, port))) {
          SocketChannel connected = channel;
          front.selector.submit(
              selector -> register(connector, front.selector, selector, connected, port, ready));
          return;
        }
      } catch (IOException e) {
        close(channel);
        ready.failed(e);
        return;
      }
      close(channel);
    }
    Map<String, Object> context = new HashMap<>(4);
    context.put(Transport.CONTEXT_KEY, Transport.TCP_IP);
    context.put(
        ClientConnector.CONNECTION_PROMISE_CONTEXT_KEY,
        new Promise<Connection>() {
          @Override
          public void succeeded(Connection c) {
            ready.succeeded((AppConnection) c);
          }

          @Override
          public void failed(Throwable x) {
            ready.failed(x);
          }
        });
    context.put(PORT, port);
    apps.connect(new InetSocketAddress(LOOPBACK, port), context);
  }

  /** Adds a connected channel to a selector, as an app connection. Runs on its selector thread. */
  private void register(
      Connector connector,
      ManagedSelector managed,
      Selector selector,
      SocketChannel channel,
      int port,
      Promise<AppConnection> ready) {
    try {
      SelectionKey key = channel.register(selector, 0);
      SocketChannelEndPoint endPoint =
          new SocketChannelEndPoint(channel, managed, key, connector.getScheduler());
      key.attach(endPoint);
      endPoint.setIdleTimeout(AppProxyHandler.UPSTREAM_IDLE_MILLIS);
      AppConnection app = new AppConnection(this, endPoint, connector.getExecutor(), port, null);
      endPoint.setConnection(app);
      endPoint.onOpen();
      app.onOpen();
      ready.succeeded(app);
    } catch (Throwable x) {
      close(channel);
      ready.failed(x);
    }
  }

  private static void close(SocketChannel channel) {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      // a connect that failed; nothing to keep
    }
  }

  /**
   * True while {@code client} is banned: its requests go to the full server, which refuses them.
   */
  boolean banned(String client) {
    return security.banned(client);
  }

  /** Records a head refused with {@code status}; {@code head} holds its bytes from its position. */
  void refused(String client, int status, java.nio.ByteBuffer head) {
    java.nio.ByteBuffer h = head.duplicate();
    h.limit(Math.min(h.limit(), h.position() + RequestHead.MAX_HEAD));
    security.record(
        BadRequests.refusedHead(
            client, status, java.nio.charset.StandardCharsets.ISO_8859_1.decode(h).toString()));
  }

  /** Records a request a middleware pack refused, as the full server's path does. */
  void refused(String client, String method, String path, Refusal refusal) {
    security.record(
        new SecurityEvent(
                java.time.Instant.now().toString(),
                client,
                SecurityEvent.Kind.valueOf(refusal.kind().name()),
                method,
                path,
                refusal.detail(),
                false,
                null)
            .withUser(refusal.user()));
  }

  /** An encoder for one compressed answer, to be given back. */
  AnswerGzip gzip() {
    AnswerGzip g = gzips.poll();
    if (g == null) {
      return new AnswerGzip();
    }
    idleGzips.decrementAndGet();
    return g;
  }

  void giveBack(AnswerGzip g) {
    if (idleGzips.incrementAndGet() <= IDLE_GZIPS) {
      gzips.offer(g);
    } else {
      idleGzips.decrementAndGet();
      g.end();
    }
  }

  void answered(ProxiedRequest request) {
    answered.accept(request);
  }

  ByteBufferPool byteBufferPool() {
    return apps.getByteBufferPool();
  }
}

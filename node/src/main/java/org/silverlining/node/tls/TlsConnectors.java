package org.silverlining.node.tls;

import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509KeyManager;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The node's TLS listeners: the front's HTTPS (certificate by SNI from the store, HTTP/2 by ALPN
 * with HTTP/1.1 for clients that do not offer it) and the management API's (one self-signed
 * certificate). Both speak TLS 1.2 and 1.3 only.
 */
public final class TlsConnectors {
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  static final Duration IDLE = Duration.ofSeconds(60);
  static final int ACCEPT_QUEUE = 1024;

  private TlsConnectors() {}

  /** The front's HTTPS connector on {@code host:port}, serving what {@code store} holds. */
  public static ServerConnector front(
      Server server, String host, int port, CertificateStore store) {
    HttpConfiguration http = secureConfiguration();
    HttpConnectionFactory http11 = new HttpConnectionFactory(http);
    HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
    alpn.setDefaultProtocol(http11.getProtocol());
    SslConnectionFactory tls =
        new SslConnectionFactory(contextFactory(new SniKeyManager(store)), alpn.getProtocol());
    ServerConnector c = new ServerConnector(server, tls, alpn, h2, http11);
    return configure(c, "https", host, port);
  }

  /** The management API's connector on {@code host:port}, with {@code key}'s one certificate. */
  public static ServerConnector admin(Server server, String host, int port, X509KeyManager key) {
    HttpConfiguration http = secureConfiguration();
    SslConnectionFactory tls = new SslConnectionFactory(contextFactory(key), "http/1.1");
    ServerConnector c = new ServerConnector(server, tls, new HttpConnectionFactory(http));
    return configure(c, "admin", host, port);
  }

  private static HttpConfiguration secureConfiguration() {
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    // The certificate was chosen by SNI already; Jetty's own host check reads a session value
    // only its key manager sets.
    SecureRequestCustomizer secure = new SecureRequestCustomizer(false);
    secure.setSniHostCheck(false);
    http.addCustomizer(secure);
    return http;
  }

  private static ServerConnector configure(ServerConnector c, String name, String host, int port) {
    c.setName(name);
    c.setHost(host);
    c.setPort(port);
    c.setIdleTimeout(IDLE.toMillis());
    c.setAcceptQueueSize(ACCEPT_QUEUE);
    return c;
  }

  private static SslContextFactory.Server contextFactory(X509KeyManager keys) {
    SSLContext context;
    try {
      context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {keys}, null, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no TLS: " + e, e);
    }
    SslContextFactory.Server f = new SslContextFactory.Server();
    f.setSslContext(context);
    f.setIncludeProtocols(PROTOCOLS);
    return f;
  }
}

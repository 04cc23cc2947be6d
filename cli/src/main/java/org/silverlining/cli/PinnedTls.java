package org.silverlining.cli;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.silverlining.node.tls.AdminCertificate;

/**
 * TLS to a node's management API that trusts exactly one certificate: the one whose SHA-256
 * fingerprint the registry pins. No CA and no host name are consulted, so a self-signed certificate
 * on any address works, and any other certificate is refused.
 */
final class PinnedTls {
  private final String expected;
  private volatile String seen;
  private final SSLContext context;

  PinnedTls(String fingerprint) {
    this.expected = fingerprint;
    try {
      context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new Pin()}, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no TLS: " + e, e);
    }
  }

  /** Makes {@code c} trust the pinned certificate only. */
  void apply(HttpsURLConnection c) {
    c.setSSLSocketFactory(context.getSocketFactory());
    c.setHostnameVerifier((host, session) -> true); // the pin identifies the node
  }

  /** The fingerprint of a certificate that was refused, or null when none was. */
  String refused() {
    return seen;
  }

  String expected() {
    return expected;
  }

  private final class Pin extends X509ExtendedTrustManager {
    private void check(X509Certificate[] chain) throws CertificateException {
      String got = AdminCertificate.fingerprint(chain[0]);
      if (!AdminCertificate.normalize(got).equals(AdminCertificate.normalize(expected))) {
        seen = got;
        throw new CertificateException(
            "the certificate's fingerprint is " + got + ", not the pinned " + expected);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("not a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}

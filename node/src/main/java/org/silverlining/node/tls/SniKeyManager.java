package org.silverlining.node.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Chooses the front's certificate by the name the client asked for (SNI), from the {@link
 * CertificateStore} as it is at that handshake. The alias it hands the TLS engine is the host the
 * certificate is kept under. A client that names no host, or one the store has no certificate for,
 * gets no certificate: its handshake fails, and only that connection is refused.
 */
final class SniKeyManager extends X509ExtendedKeyManager {
  private final CertificateStore store;

  SniKeyManager(CertificateStore store) {
    this.store = store;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return choose(keyType, engine == null ? null : engine.getHandshakeSession());
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return choose(keyType, socket instanceof SSLSocket s ? s.getHandshakeSession() : null);
  }

  private String choose(String keyType, SSLSession session) {
    if (!(session instanceof ExtendedSSLSession ext)) {
      return null;
    }
    for (SNIServerName name : ext.getRequestedServerNames()) {
      if (name instanceof SNIHostName host) {
        Optional<StoredCertificate> c = store.forHost(host.getAsciiName());
        if (c.isPresent() && c.get().key().getAlgorithm().equals(keyType)) {
          return c.get().host();
        }
      }
    }
    return null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return store.get(alias).map(c -> c.chain().toArray(new X509Certificate[0])).orElse(null);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return store.get(alias).map(StoredCertificate::key).orElse(null);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    List<String> hosts =
        store.all().stream()
            .filter(c -> c.key().getAlgorithm().equals(keyType))
            .map(StoredCertificate::host)
            .toList();
    return hosts.isEmpty() ? null : hosts.toArray(new String[0]);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}

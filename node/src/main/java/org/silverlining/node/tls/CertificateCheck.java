package org.silverlining.node.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * Whether a certificate, its chain and a private key can serve a host: each refusal says what is
 * wrong in words a person can act on.
 */
public final class CertificateCheck {
  private CertificateCheck() {}

  /**
   * A certificate for {@code host} made of {@code pem}'s chain (leaf first) and key; an {@link
   * IllegalArgumentException} says why it cannot be.
   */
  public static StoredCertificate check(String host, Pem.Contents pem, String source, Instant now) {
    List<X509Certificate> chain = pem.certificates();
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("the certificate file holds no certificate");
    }
    if (pem.key() == null) {
      throw new IllegalArgumentException("the key file holds no private key");
    }
    X509Certificate leaf = chain.get(0);
    if (!keyMatches(pem.key(), leaf.getPublicKey())) {
      throw new IllegalArgumentException(
          "the private key does not match the certificate for "
              + String.join(", ", StoredCertificate.namesOf(leaf))
              + " (it belongs to another certificate)");
    }
    for (int i = 0; i + 1 < chain.size(); i++) {
      X509Certificate child = chain.get(i);
      X509Certificate parent = chain.get(i + 1);
      if (!child.getIssuerX500Principal().equals(parent.getSubjectX500Principal())
          || !signedBy(child, parent.getPublicKey())) {
        throw new IllegalArgumentException(
            "the chain is broken: certificate "
                + (i + 2)
                + " ("
                + parent.getSubjectX500Principal().getName()
                + ") did not issue certificate "
                + (i + 1)
                + " (issued by "
                + child.getIssuerX500Principal().getName()
                + "); give the chain leaf first, each certificate followed by its issuer");
      }
    }
    StoredCertificate c = new StoredCertificate(host, chain, pem.key(), source);
    if (now.isAfter(c.notAfter())) {
      throw new IllegalArgumentException("the certificate expired on " + c.notAfter());
    }
    if (now.isBefore(c.notBefore())) {
      throw new IllegalArgumentException("the certificate is not valid before " + c.notBefore());
    }
    boolean forHost =
        host.startsWith("*.")
            ? c.names().stream().anyMatch(n -> n.equalsIgnoreCase(host))
            : c.covers(host);
    if (!forHost) {
      throw new IllegalArgumentException(
          "the certificate is for " + String.join(", ", c.names()) + ", not " + host);
    }
    return c;
  }

  /** Whether {@code key} signs what {@code pub} verifies: they are one key pair. */
  static boolean keyMatches(PrivateKey key, PublicKey pub) {
    if (!key.getAlgorithm().equals(pub.getAlgorithm())) {
      return false;
    }
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null) {
      return false;
    }
    try {
      byte[] data = new byte[32];
      new SecureRandom().nextBytes(data);
      Signature s = Signature.getInstance(algorithm);
      s.initSign(key);
      s.update(data);
      byte[] signature = s.sign();
      Signature v = Signature.getInstance(algorithm);
      v.initVerify(pub);
      v.update(data);
      return v.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean signedBy(X509Certificate c, PublicKey issuerKey) {
    try {
      c.verify(issuerKey);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}

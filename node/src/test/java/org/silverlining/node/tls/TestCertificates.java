package org.silverlining.node.tls;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates made for tests: a CA, and leaves it signs for chosen names and dates. */
public final class TestCertificates {
  private TestCertificates() {}

  /** A certificate and its key. */
  public record Issued(X509Certificate cert, KeyPair keys) {
    public PrivateKey key() {
      return keys.getPrivate();
    }
  }

  public static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  /** A self-signed CA. */
  public static Issued ca(String name) throws Exception {
    KeyPair keys = rsa();
    X500Name n = new X500Name("CN=" + name);
    Instant now = Instant.now();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            n,
            BigInteger.valueOf(new SecureRandom().nextLong() & Long.MAX_VALUE),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(30))),
            n,
            keys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    return new Issued(sign(b, keys.getPrivate()), keys);
  }

  /**
   * A leaf for {@code names} (DNS), valid from {@code from} to {@code until}, signed by {@code ca}.
   */
  public static Issued leaf(Issued ca, Instant from, Instant until, String... names)
      throws Exception {
    KeyPair keys = rsa();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            new X500Name(ca.cert().getSubjectX500Principal().getName()),
            BigInteger.valueOf(new SecureRandom().nextLong() & Long.MAX_VALUE),
            Date.from(from),
            Date.from(until),
            new X500Name("CN=" + names[0]),
            keys.getPublic());
    GeneralName[] alt = new GeneralName[names.length];
    for (int i = 0; i < names.length; i++) {
      alt[i] = new GeneralName(GeneralName.dNSName, names[i]);
    }
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alt));
    return new Issued(sign(b, ca.key()), keys);
  }

  /** A leaf valid from an hour ago for a day. */
  public static Issued leaf(Issued ca, String... names) throws Exception {
    Instant now = Instant.now();
    return leaf(ca, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), names);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
  }
}

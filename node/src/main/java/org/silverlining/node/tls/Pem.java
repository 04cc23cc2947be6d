package org.silverlining.node.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * Certificates and private keys as PEM text, in every form OpenSSL writes them (PKCS#8, PKCS#1 RSA,
 * SEC1 EC), read by Bouncy Castle.
 */
public final class Pem {
  private Pem() {}

  /** What one PEM text holds: its certificates in order and its private key, if any. */
  public record Contents(List<X509Certificate> certificates, PrivateKey key) {}

  /** Reads every certificate and the (first) private key in {@code text}. */
  public static Contents read(String text) {
    List<X509Certificate> certs = new ArrayList<>();
    PrivateKey key = null;
    JcaX509CertificateConverter certConverter = new JcaX509CertificateConverter();
    JcaPEMKeyConverter keyConverter = new JcaPEMKeyConverter();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof X509CertificateHolder h) {
          certs.add(certConverter.getCertificate(h));
        } else if (key == null && o instanceof PEMKeyPair kp) {
          key = keyConverter.getPrivateKey(kp.getPrivateKeyInfo());
        } else if (key == null && o instanceof PrivateKeyInfo info) {
          key = keyConverter.getPrivateKey(info);
        }
      }
    } catch (IOException | CertificateException | RuntimeException e) {
      throw new IllegalArgumentException("not readable as PEM: " + e.getMessage());
    }
    return new Contents(List.copyOf(certs), key);
  }

  /** {@code pair} as PEM: its private key (PKCS#8), then its public key. */
  public static String writeKeyPair(KeyPair pair) {
    return write(pair.getPrivate(), pair.getPublic());
  }

  /** The key pair {@link #writeKeyPair} wrote. */
  public static KeyPair readKeyPair(String text) {
    PrivateKey key = null;
    java.security.PublicKey pub = null;
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof PrivateKeyInfo info) {
          key = converter.getPrivateKey(info);
        } else if (o instanceof org.bouncycastle.asn1.x509.SubjectPublicKeyInfo info) {
          pub = converter.getPublicKey(info);
        } else if (o instanceof PEMKeyPair kp && kp.getPublicKeyInfo() != null) {
          KeyPair pair = converter.getKeyPair(kp);
          key = pair.getPrivate();
          pub = pair.getPublic();
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not readable as PEM: " + e.getMessage());
    }
    if (key == null || pub == null) {
      throw new IllegalArgumentException("no key pair (a private and a public key) in the text");
    }
    return new KeyPair(pub, key);
  }

  /** The PEM text of {@code objects}: certificates, keys, key pairs, in order. */
  public static String write(Object... objects) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        if (o instanceof List<?> list) {
          for (Object item : list) {
            w.writeObject(item);
          }
        } else if (o instanceof KeyPair kp) {
          w.writeObject(new JcaPKCS8Generator(kp.getPrivate(), null));
        } else if (o instanceof PrivateKey k) {
          // PKCS#8, which every reader takes, rather than the algorithm's own older form
          w.writeObject(new JcaPKCS8Generator(k, null));
        } else {
          w.writeObject(o);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }
}

package org.silverlining.node.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.silverlining.core.PrivateFile;

/**
 * The management API's own certificate: self-signed, made once by {@code silver node init} and kept
 * with its key in {@code ROOT/secrets/admin.pem} (mode 600). Clients trust it by its SHA-256
 * fingerprint, pinned in their registry, not by a CA.
 */
public final class AdminCertificate {
  /** Long: the pin, not the dates, is what clients check; a new key means a new pin. */
  static final Duration LIFETIME = Duration.ofDays(3650);

  private final X509Certificate certificate;
  private final PrivateKey key;

  private AdminCertificate(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /** The certificate in {@code file}, made there first if there is none. */
  public static AdminCertificate ensure(Path file, String host) throws IOException {
    if (Files.isRegularFile(file)) {
      return load(file);
    }
    AdminCertificate made = make(host);
    PrivateFile.replace(file, Pem.write(made.certificate, made.key));
    return made;
  }

  /** The certificate kept in {@code file}. */
  public static AdminCertificate load(Path file) throws IOException {
    Pem.Contents pem = Pem.read(Files.readString(file, StandardCharsets.UTF_8));
    if (pem.certificates().isEmpty() || pem.key() == null) {
      throw new IOException(file + " holds no certificate and key; delete it and run node init");
    }
    return new AdminCertificate(pem.certificates().get(0), pem.key());
  }

  static AdminCertificate make(String host) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = g.generateKeyPair();
      Instant now = Instant.now();
      X500Name name = new X500Name("CN=silver node management API");
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              name,
              new BigInteger(64, new SecureRandom()),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(LIFETIME)),
              name,
              pair.getPublic());
      List<GeneralName> names = new ArrayList<>();
      names.add(new GeneralName(GeneralName.dNSName, "localhost"));
      names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
      if (host != null && !host.isBlank() && !host.equals("0.0.0.0")) {
        boolean ip = host.matches("[0-9.]+") || host.contains(":");
        names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host));
      }
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(names.toArray(new GeneralName[0])));
      X509Certificate cert =
          new JcaX509CertificateConverter()
              .getCertificate(
                  b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      return new AdminCertificate(cert, pair.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot make the management API's certificate: " + e, e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** {@code sha256:AB:CD:…}, as {@code openssl x509 -fingerprint -sha256} shows it. */
  public String fingerprint() {
    return fingerprint(certificate);
  }

  /** The SHA-256 fingerprint of {@code c}'s DER encoding, as {@code sha256:AB:CD:…}. */
  public static String fingerprint(X509Certificate c) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
      return "sha256:" + HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code text} as hexadecimal digits only, lower case, with any {@code sha256:} and separators
   * taken off: two fingerprints are the same when these are equal.
   */
  public static String normalize(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.startsWith("sha256:")) {
      t = t.substring(7);
    }
    return t.replaceAll("[^0-9a-f]", "");
  }

  /** A key manager that always presents this certificate. */
  public X509KeyManager keyManager() {
    return new X509ExtendedKeyManager() {
      private static final String ALIAS = "admin";

      @Override
      public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine e) {
        return key.getAlgorithm().equals(keyType) ? ALIAS : null;
      }

      @Override
      public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return key.getAlgorithm().equals(keyType) ? ALIAS : null;
      }

      @Override
      public X509Certificate[] getCertificateChain(String alias) {
        return new X509Certificate[] {certificate};
      }

      @Override
      public PrivateKey getPrivateKey(String alias) {
        return key;
      }

      @Override
      public String[] getServerAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
      }

      @Override
      public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
      }

      @Override
      public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
      }
    };
  }
}

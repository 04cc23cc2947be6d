package org.silverlining.node.tls;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.connector.HttpConnector;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;
import org.silverlining.core.PrivateFile;

/**
 * Obtains one certificate for one host from an ACME server by HTTP-01, answered by the front's
 * {@link AcmeChallenges}. The account key is kept in a file (mode 600) and reused; each certificate
 * gets a new EC P-256 key, which exists only in memory until the certificate comes.
 */
final class AcmeClient {
  static final Duration VALIDATION_WAIT = Duration.ofSeconds(90);

  private final URI directory;
  private final String email;
  private final Path caFile;
  private final Path accountKeyFile;
  private final AcmeChallenges challenges;

  AcmeClient(
      URI directory, String email, Path caFile, Path accountKeyFile, AcmeChallenges challenges) {
    this.directory = directory;
    this.email = email;
    this.caFile = caFile;
    this.accountKeyFile = accountKeyFile;
    this.challenges = challenges;
  }

  /** A new certificate for {@code host}; an {@link AcmeFailure} carries the CA's words. */
  StoredCertificate issue(String host) throws AcmeFailure, IOException, InterruptedException {
    try {
      Account account = account(session());
      Order order = account.newOrder().domain(host).create();
      for (Authorization auth : order.getAuthorizations()) {
        if (auth.getStatus() != Status.VALID) {
          authorize(auth);
        }
      }
      KeyPair domainKey = newKey();
      order.execute(domainKey);
      Status s = order.waitForCompletion(VALIDATION_WAIT);
      if (s != Status.VALID) {
        throw new AcmeFailure(order.getError().map(AcmeClient::words).orElse("order " + s));
      }
      List<X509Certificate> chain = order.getCertificate().getCertificateChain();
      return new StoredCertificate(host, chain, domainKey.getPrivate(), StoredCertificate.ACME);
    } catch (AcmeServerException e) {
      throw new AcmeFailure(words(e.getProblem()));
    } catch (AcmeException e) {
      throw new AcmeFailure(e.getMessage());
    }
  }

  /** Asks the CA to revoke {@code c}, signed with its own key. */
  void revoke(StoredCertificate c) throws AcmeFailure, IOException {
    try {
      Session session = session();
      account(session);
      KeyPair pair = new KeyPair(c.leaf().getPublicKey(), c.key());
      org.shredzone.acme4j.Certificate.revoke(session, pair, c.leaf(), null);
    } catch (AcmeServerException e) {
      throw new AcmeFailure(words(e.getProblem()));
    } catch (AcmeException e) {
      throw new AcmeFailure(e.getMessage());
    }
  }

  private void authorize(Authorization auth)
      throws AcmeException, AcmeFailure, InterruptedException {
    Http01Challenge challenge =
        auth.findChallenge(Http01Challenge.class)
            .orElseThrow(() -> new AcmeFailure("the CA offers no HTTP-01 challenge"));
    challenges.offer(challenge.getToken(), challenge.getAuthorization());
    try {
      challenge.trigger();
      Status s;
      try {
        s = challenge.waitForCompletion(VALIDATION_WAIT);
      } catch (AcmeException e) {
        s = challenge.getStatus();
      }
      if (s != Status.VALID) {
        throw new AcmeFailure(
            challenge.getError().map(AcmeClient::words).orElse("the challenge is " + s));
      }
    } finally {
      challenges.withdraw(challenge.getToken());
    }
  }

  static String words(Problem p) {
    String detail = p.getDetail().or(p::getTitle).orElse(p.getType().toString());
    for (Problem sub : p.getSubProblems()) {
      detail += "; " + words(sub);
    }
    return detail;
  }

  private Session session() throws IOException {
    if (caFile == null) {
      return new Session(directory);
    }
    SSLContext context = trusting(caFile);
    return new Session(
        directory,
        new GenericAcmeProvider() {
          @Override
          protected HttpConnector createHttpConnector(NetworkSettings settings) {
            return new HttpConnector(settings) {
              @Override
              public HttpClient.Builder createClientBuilder() {
                return super.createClientBuilder().sslContext(context);
              }
            };
          }
        });
  }

  private Account account(Session session) throws AcmeException, IOException {
    AccountBuilder b = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey());
    if (!email.isEmpty()) {
      b.addEmail(email);
    }
    return b.create(session);
  }

  private synchronized KeyPair accountKey() throws IOException {
    if (Files.isRegularFile(accountKeyFile)) {
      return Pem.readKeyPair(Files.readString(accountKeyFile, StandardCharsets.UTF_8));
    }
    KeyPair kp = newKey();
    PrivateFile.replace(accountKeyFile, Pem.writeKeyPair(kp));
    return kp;
  }

  static KeyPair newKey() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** TLS that trusts the JVM's CAs and those in {@code caFile}. */
  static SSLContext trusting(Path caFile) throws IOException {
    try {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (X509Certificate c :
          Pem.read(Files.readString(caFile, StandardCharsets.UTF_8)).certificates()) {
        ks.setCertificateEntry("extra-" + i++, c);
      }
      if (i == 0) {
        throw new IOException("acme_ca_file " + caFile + " holds no certificate");
      }
      X509TrustManager extra = trustManager(ks);
      X509TrustManager system = trustManager(null);
      X509TrustManager both =
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
              throw new java.security.cert.CertificateException("no client certificates");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
              try {
                extra.checkServerTrusted(chain, authType);
              } catch (java.security.cert.CertificateException e) {
                system.checkServerTrusted(chain, authType);
              }
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return system.getAcceptedIssuers();
            }
          };
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {both}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot trust " + caFile + ": " + e.getMessage(), e);
    }
  }

  private static X509TrustManager trustManager(KeyStore ks) throws GeneralSecurityException {
    TrustManagerFactory f =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(ks);
    for (TrustManager t : f.getTrustManagers()) {
      if (t instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  /** An ACME failure, in the CA's words where it gave some. */
  static final class AcmeFailure extends Exception {
    AcmeFailure(String message) {
      super(message);
    }
  }
}

package org.silverlining.node.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.silverlining.core.Location;
import org.silverlining.node.errors.InvalidRequestException;
import org.silverlining.node.errors.NotFoundException;
import org.silverlining.node.layout.NodeLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's certificates as one part: the store the HTTPS listener serves from, the keeper that
 * gets ACME certificates, and what {@code silver certs} lists, adds and removes.
 */
public final class Certificates implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Certificates.class);

  private final CertificateStore store;
  private final AcmeChallenges challenges = new AcmeChallenges();
  private final CertificateKeeper keeper;
  private final Clock clock;

  private Certificates(CertificateStore store, TlsSettings tls, Path accountKey, Clock clock) {
    this.store = store;
    this.clock = clock;
    AcmeClient client =
        tls.acme().isPresent()
            ? new AcmeClient(
                tls.acme().get(), tls.acmeEmail(), tls.acmeCaFile(), accountKey, challenges)
            : null;
    this.keeper = new CertificateKeeper(store, client, clock);
  }

  /**
   * The certificates under {@code layout}'s {@code certs/}, kept by the ACME server {@code tls}
   * names (none when it says {@code off}).
   */
  public static Certificates open(NodeLayout layout, TlsSettings tls, Clock clock)
      throws IOException {
    return new Certificates(
        CertificateStore.open(layout.certsDir()), tls, layout.acmeAccountKey(), clock);
  }

  public CertificateStore store() {
    return store;
  }

  /** The handler that answers the ACME server's HTTP-01 challenges; it wraps the front. */
  public AcmeChallenges challenges() {
    return challenges;
  }

  public void start() {
    keeper.start();
  }

  /** The hosts that should have certificates: exact hosts of live locations that want HTTPS. */
  public void want(Set<String> hosts) {
    keeper.want(hosts);
  }

  /** {@code silver certs}: every host, its status, issuer, expiry and source. */
  public List<Map<String, Object>> list() {
    return keeper.describe();
  }

  /**
   * {@code silver certs add}: keeps {@code pem}'s chain and key for {@code host} after checking
   * them; an {@link InvalidRequestException} says what is wrong.
   */
  public Map<String, Object> add(String host, String pem) throws IOException {
    String h = hostOf(host);
    StoredCertificate c;
    try {
      c = CertificateCheck.check(h, Pem.read(pem), StoredCertificate.UPLOADED, clock.instant());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("certificate for " + h + " refused: " + e.getMessage());
    }
    store.put(c);
    keeper.forget(h);
    log.info("certificate for {} uploaded (issuer {}, until {})", h, c.issuer(), c.notAfter());
    return Map.of(
        "host",
        h,
        "issuer",
        c.issuer(),
        "not_after",
        c.notAfter().toString(),
        "source",
        c.source());
  }

  /**
   * {@code silver certs remove}: stops serving {@code host}'s certificate and deletes it; one the
   * node got from an ACME server is revoked there first (a failure to revoke is reported, the
   * removal goes on).
   */
  public Map<String, Object> remove(String host) throws IOException {
    String h = hostOf(host);
    StoredCertificate c =
        store.get(h).orElseThrow(() -> new NotFoundException("no certificate for " + h));
    String revoked = "no";
    if (c.source().equals(StoredCertificate.ACME)) {
      try {
        keeper.revoke(c);
        revoked = "yes";
      } catch (AcmeClient.AcmeFailure | IOException e) {
        revoked = "failed: " + e.getMessage();
        log.warn("cannot revoke the certificate of {}: {}", h, e.getMessage());
      }
    }
    store.remove(h);
    log.info("certificate for {} removed", h);
    return Map.of("host", h, "removed", true, "revoked", revoked);
  }

  static String hostOf(String text) {
    Location l;
    try {
      l = Location.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("'" + text + "' is not a host name (e.g. www.example.com)");
    }
    if (l.port() != 0 || !l.path().equals("/") || l.isDefault()) {
      throw new InvalidRequestException("'" + text + "' is not a host name (e.g. www.example.com)");
    }
    return l.host().toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() {
    keeper.close();
  }
}

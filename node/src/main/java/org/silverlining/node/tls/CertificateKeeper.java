package org.silverlining.node.tls;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.silverlining.node.process.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a certificate for every host that wants one: obtains it from the ACME server when there is
 * none, renews it when a third of its lifetime is left, and after a failure tries again later,
 * waiting twice as long each time ({@link #FIRST_RETRY} up to {@link #LONGEST_RETRY}). A failure is
 * never fatal: it is shown by {@code silver certs}, and the host is served over plain HTTP
 * meanwhile. Hosts with an uploaded certificate are left alone. One thread does all of it, one host
 * at a time.
 */
public final class CertificateKeeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CertificateKeeper.class);
  static final Duration FIRST_RETRY = Duration.ofSeconds(30);
  static final Duration LONGEST_RETRY = Duration.ofHours(6);
  static final Duration CHECK_EVERY = Duration.ofSeconds(30);
  private static final Pattern IP = Pattern.compile("[0-9.]+|.*:.*");

  /** Where a host stands with the ACME server. */
  record Attempt(String state, String detail, int failures, Instant next) {}

  private final CertificateStore store;
  private final AcmeClient acme;
  private final Clock clock;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("certificates"));
  private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();
  private volatile Set<String> wanted = Set.of();

  /** {@code acme} null: automatic certificates are off, uploaded ones are still served. */
  CertificateKeeper(CertificateStore store, AcmeClient acme, Clock clock) {
    this.store = store;
    this.acme = acme;
    this.clock = clock;
  }

  public void start() {
    if (acme != null) {
      thread.scheduleWithFixedDelay(
          this::checkAll, 0, CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The hosts that should have a certificate from now on; new ones are seen to at once. */
  public void want(Set<String> hosts) {
    Set<String> eligible = new TreeSet<>();
    for (String h : hosts) {
      if (eligible(h)) {
        eligible.add(h.toLowerCase(Locale.ROOT));
      }
    }
    boolean added = !wanted.containsAll(eligible);
    wanted = Set.copyOf(eligible);
    if (added && acme != null) {
      thread.execute(this::checkAll);
    }
  }

  /**
   * Whether an ACME CA could issue for {@code host}: a public-looking exact name, not {@code
   * default}, a wildcard, an IP address or a name under {@code localhost}.
   */
  public static boolean eligible(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.contains(".")
        && !h.startsWith("*.")
        && !IP.matcher(h).matches()
        && !h.equals("localhost")
        && !h.endsWith(".localhost");
  }

  private void checkAll() {
    for (String host : wanted) {
      try {
        check(host);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("certificate for {}: {}", host, e.toString());
      }
    }
  }

  private void check(String host) throws InterruptedException {
    Instant now = clock.instant();
    var current = store.forHost(host);
    if (current.isPresent()
        && (!current.get().source().equals(StoredCertificate.ACME)
            || now.isBefore(renewAt(current.get())))) {
      attempts.remove(host);
      return;
    }
    Attempt last = attempts.get(host);
    if (last != null && last.next() != null && now.isBefore(last.next())) {
      return;
    }
    int failures = last == null ? 0 : last.failures();
    attempts.put(host, new Attempt("pending", "", failures, null));
    log.info(
        "{} a certificate for {} from the ACME server",
        current.isPresent() ? "renewing" : "requesting",
        host);
    try {
      StoredCertificate c = acme.issue(host);
      store.put(c);
      attempts.remove(host);
      log.info("certificate for {} issued by {}, valid until {}", host, c.issuer(), c.notAfter());
    } catch (AcmeClient.AcmeFailure | java.io.IOException e) {
      failures++;
      Duration wait = backoff(failures);
      attempts.put(
          host, new Attempt("failed", e.getMessage(), failures, clock.instant().plus(wait)));
      log.warn(
          "no certificate for {} (attempt {}): {}; trying again in {}",
          host,
          failures,
          e.getMessage(),
          wait);
    }
  }

  /** When a certificate is renewed: once a third of its lifetime is left. */
  static Instant renewAt(StoredCertificate c) {
    Duration life = Duration.between(c.notBefore(), c.notAfter());
    return c.notAfter().minus(life.dividedBy(3));
  }

  static Duration backoff(int failures) {
    Duration d = FIRST_RETRY;
    for (int i = 1; i < failures && d.compareTo(LONGEST_RETRY) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : d;
  }

  /**
   * One line per host, wanted or kept: {@code host}, {@code status} ({@code issued}, {@code
   * pending}, {@code failed: WHY}, {@code expired}), {@code issuer}, {@code not_after}, {@code
   * source}, {@code next_attempt} after a failure.
   */
  public List<Map<String, Object>> describe() {
    Set<String> hosts = new TreeSet<>(wanted);
    store.all().forEach(c -> hosts.add(c.host()));
    hosts.addAll(attempts.keySet());
    Instant now = clock.instant();
    List<Map<String, Object>> out = new ArrayList<>();
    for (String h : hosts) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("host", h);
      var c = h.startsWith("*.") ? store.get(h) : store.forHost(h);
      Attempt a = attempts.get(h);
      String status;
      if (a != null && a.state().equals("pending")) {
        status = "pending";
      } else if (c.isPresent() && c.get().validAt(now)) {
        status = "issued";
      } else if (a != null) {
        status = "failed: " + a.detail();
      } else if (c.isPresent()) {
        status = "expired";
      } else {
        status = acme == null ? "none (automatic certificates are off)" : "pending";
      }
      m.put("status", status);
      m.put("issuer", c.map(StoredCertificate::issuer).orElse(null));
      m.put("not_after", c.map(x -> x.notAfter().toString()).orElse(null));
      m.put("source", c.map(StoredCertificate::source).orElse(StoredCertificate.ACME));
      if (c.isPresent() && !c.get().host().equals(h)) {
        m.put("served_by", c.get().host());
      }
      if (a != null && a.next() != null) {
        m.put("next_attempt", a.next().toString());
      }
      out.add(m);
    }
    return out;
  }

  /** Asks the CA to revoke an ACME certificate; other certificates have no CA to ask. */
  void revoke(StoredCertificate c) throws AcmeClient.AcmeFailure, java.io.IOException {
    if (acme != null && c.source().equals(StoredCertificate.ACME)) {
      acme.revoke(c);
    }
  }

  /** Forgets the failures of {@code host}: the next check tries at once. */
  void forget(String host) {
    attempts.remove(host);
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}

package org.silverlining.node.tls;

import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * A certificate the front serves for one host: its chain (leaf first), its private key and where it
 * came from.
 *
 * @param host the host it is kept under: an exact name, or {@code *.example.com}
 * @param source {@code acme} (obtained by the node) or {@code uploaded} ({@code silver certs add})
 */
public record StoredCertificate(
    String host, List<X509Certificate> chain, PrivateKey key, String source) {
  public static final String ACME = "acme";
  public static final String UPLOADED = "uploaded";

  public StoredCertificate {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("no certificate");
    }
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  public Instant notAfter() {
    return leaf().getNotAfter().toInstant();
  }

  public Instant notBefore() {
    return leaf().getNotBefore().toInstant();
  }

  /** Whether it can be served at {@code now}. */
  public boolean validAt(Instant now) {
    return !now.isBefore(notBefore()) && now.isBefore(notAfter());
  }

  /** The issuer's common name, or its whole name when it has none. */
  public String issuer() {
    String dn = leaf().getIssuerX500Principal().getName();
    return commonName(dn).orElse(dn);
  }

  /** The DNS names it is for: its subject alternative names, else its subject's common name. */
  public List<String> names() {
    return namesOf(leaf());
  }

  /** Whether it is for {@code requestHost}, directly or through a wildcard name. */
  public boolean covers(String requestHost) {
    for (String n : names()) {
      if (nameCovers(n, requestHost)) {
        return true;
      }
    }
    return false;
  }

  static boolean nameCovers(String name, String host) {
    String n = name.toLowerCase(Locale.ROOT);
    String h = host.toLowerCase(Locale.ROOT);
    if (n.startsWith("*.")) {
      // one label only, as TLS clients match wildcards
      int dot = h.indexOf('.');
      return dot > 0 && h.substring(dot).equals(n.substring(1));
    }
    return n.equals(h);
  }

  static List<String> namesOf(X509Certificate c) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> alt = c.getSubjectAlternativeNames();
      if (alt != null) {
        for (List<?> entry : alt) {
          if (entry.size() >= 2 && Integer.valueOf(2).equals(entry.get(0))) {
            names.add(String.valueOf(entry.get(1)).toLowerCase(Locale.ROOT));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // treated as having no alternative names
    }
    if (names.isEmpty()) {
      commonName(c.getSubjectX500Principal().getName())
          .ifPresent(cn -> names.add(cn.toLowerCase(Locale.ROOT)));
    }
    return List.copyOf(names);
  }

  static java.util.Optional<String> commonName(String dn) {
    try {
      for (Rdn rdn : new LdapName(dn).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return java.util.Optional.of(String.valueOf(rdn.getValue()));
        }
      }
    } catch (InvalidNameException e) {
      // no common name to show
    }
    return java.util.Optional.empty();
  }
}

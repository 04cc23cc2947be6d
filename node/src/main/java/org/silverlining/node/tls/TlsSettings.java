package org.silverlining.node.tls;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A node's {@code [tls]} section: where automatic certificates come from.
 *
 * @param acmeDirectory the ACME server's directory URL, or {@code off} for no automatic
 *     certificates
 * @param acmeEmail the contact given to the ACME server, or empty
 * @param acmeCaFile extra trust for the ACME server's own HTTPS (a PEM file), or null
 */
public record TlsSettings(String acmeDirectory, String acmeEmail, Path acmeCaFile) {
  /** Let's Encrypt's production directory, the default. */
  public static final String LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory";

  public static final TlsSettings DEFAULT = new TlsSettings(LETS_ENCRYPT, "", null);

  public TlsSettings {
    acmeDirectory =
        acmeDirectory == null || acmeDirectory.isBlank() ? LETS_ENCRYPT : acmeDirectory.strip();
    acmeEmail = acmeEmail == null ? "" : acmeEmail.strip();
    if (!acmeDirectory.equals("off")) {
      URI u;
      try {
        u = URI.create(acmeDirectory);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "acme_directory '" + acmeDirectory + "' is not a URL (or 'off')");
      }
      if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) {
        throw new IllegalArgumentException(
            "acme_directory '"
                + acmeDirectory
                + "' is not an https:// URL; e.g. "
                + LETS_ENCRYPT
                + ", or 'off'");
      }
    }
    if (!acmeEmail.isEmpty() && !acmeEmail.matches("[^@\\s]+@[^@\\s]+")) {
      throw new IllegalArgumentException("acme_email '" + acmeEmail + "' is not an e-mail address");
    }
  }

  /** The ACME directory, or empty when automatic certificates are off. */
  public Optional<URI> acme() {
    return acmeDirectory.equals("off") ? Optional.empty() : Optional.of(URI.create(acmeDirectory));
  }

  /** Reads the {@code [tls]} keys; unset ones take their defaults. */
  public static TlsSettings of(Map<String, String> section) {
    String ca = section.get("acme_ca_file");
    return new TlsSettings(
        section.get("acme_directory"),
        section.get("acme_email"),
        ca == null || ca.isBlank() ? null : Path.of(ca.strip()));
  }

  /** The keys to write in {@code [tls]}: those that differ from the defaults. */
  public Map<String, String> toSection() {
    Map<String, String> m = new LinkedHashMap<>();
    if (!acmeDirectory.equals(LETS_ENCRYPT)) {
      m.put("acme_directory", acmeDirectory);
    }
    if (!acmeEmail.isEmpty()) {
      m.put("acme_email", acmeEmail);
    }
    if (acmeCaFile != null) {
      m.put("acme_ca_file", acmeCaFile.toAbsolutePath().normalize().toString());
    }
    return m;
  }
}

package org.silverlining.node.tls;

/**
 * What an app's {@code app.ini} says of HTTPS.
 *
 * @param mode {@code redirect}, {@code optional} or {@code off}
 * @param hstsSeconds the {@code Strict-Transport-Security} max-age on HTTPS answers, 0 for none
 */
public record HttpsPolicy(String mode, long hstsSeconds) {
  public static final HttpsPolicy DEFAULT = new HttpsPolicy("redirect", 0);

  public boolean redirects() {
    return mode.equals("redirect");
  }

  /** Whether the node gets certificates for the app's hosts. */
  public boolean wantsCertificates() {
    return !mode.equals("off");
  }
}

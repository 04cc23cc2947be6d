package org.silverlining.node.control;

import java.time.Duration;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.secret.GracePeriod;
import org.silverlining.node.secret.PlatformSecret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform secret as the management API shows and rotates it; the key material only to copy one
 * node's ring to the other app servers of a nodeset ({@link #ring}, {@link #adopt}).
 */
public final class SecretKeys {
  private static final Logger log = LoggerFactory.getLogger(SecretKeys.class);

  private final PlatformSecret secret;

  public SecretKeys(PlatformSecret secret) {
    this.secret = secret;
  }

  /** The keys: ids, created, expires. */
  public PlatformSecret.Description describe() {
    return secret.describe();
  }

  /** The ring's file form, key material included (for another app server of a nodeset). */
  public java.util.Map<String, String> ring(String who) {
    log.info("platform secret's ring read by {}", who);
    return java.util.Map.of("ring", secret.ring().toJson());
  }

  /** Takes the ring {@code json} (as {@link #ring} gives it) as this node's. */
  public PlatformSecret.Description adopt(String json, String who) throws Exception {
    org.silverlining.node.secret.KeyRing ring;
    try {
      ring = org.silverlining.node.secret.KeyRing.parse(json, "the ring sent");
    } catch (IllegalArgumentException e) {
      throw new InvalidParameterException("ring", e.getMessage());
    }
    log.info("platform secret replaced by {}", who);
    return secret.adopt(ring);
  }

  /**
   * Makes a new current key; older keys stay valid for {@code grace} (null: {@link
   * GracePeriod#DEFAULT}).
   */
  public PlatformSecret.Description rotate(String grace, String who) throws Exception {
    Duration d;
    try {
      d = grace == null || grace.isBlank() ? GracePeriod.DEFAULT : GracePeriod.parse(grace);
    } catch (IllegalArgumentException e) {
      throw new InvalidParameterException("grace", e.getMessage());
    }
    log.info("platform secret rotation asked by {}", who);
    return secret.rotate(d);
  }
}

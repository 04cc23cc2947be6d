package org.silverlining.node.control;

import java.time.Duration;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.secret.GracePeriod;
import org.silverlining.node.secret.PlatformSecret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The platform secret as the management API shows and rotates it; never the key material. */
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

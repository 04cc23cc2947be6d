package org.silverlining.node.control;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.silverlining.node.errors.ConflictException;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.errors.NotFoundException;
import org.silverlining.node.secret.PasswordHash;
import org.silverlining.node.secret.SealingKey;
import org.silverlining.node.secret.Totp;
import org.silverlining.node.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's admin users: added, listed and removed through the management API, and the one
 * check of a login. Passwords are kept as {@link PasswordHash slow hashes}; a TOTP secret is sealed
 * with the node's {@link SealingKey} before it reaches {@code state.db}.
 */
public final class AdminUsers {
  private static final Logger log = LoggerFactory.getLogger(AdminUsers.class);
  public static final int MIN_PASSWORD = 10;
  public static final int MAX_PASSWORD = 1024;
  static final String ISSUER = "Silver Lining";

  private final StateStore state;
  private final SealingKey sealing;
  private final String node;
  private final Clock clock;

  public AdminUsers(StateStore state, SealingKey sealing, String node, Clock clock) {
    this.state = state;
    this.sealing = sealing;
    this.node = node;
    this.clock = clock;
  }

  /** An admin user as listed: never the password hash or the TOTP secret. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record User(String name, boolean totp, String created, String lastLogin) {}

  /** A user just added; {@code otpauthUri} (with the TOTP secret) is shown this once, or null. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Added(String name, boolean totp, String otpauthUri) {}

  /** Why a login failed, for the security log only: the person logging in is never told. */
  public enum Refusal {
    UNKNOWN_USER,
    WRONG_PASSWORD,
    WRONG_CODE,
    REPLAYED_CODE
  }

  /** The outcome of a login: the user, or why not. */
  public record Login(Optional<String> user, Refusal refusal) {
    static Login ok(String user) {
      return new Login(Optional.of(user), null);
    }

    static Login refused(Refusal why) {
      return new Login(Optional.empty(), why);
    }
  }

  /** Adds {@code name} with {@code password}, and a new TOTP secret when {@code totp}. */
  public Added add(String name, char[] password, boolean totp) throws SQLException {
    checkName(name);
    if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD) {
      throw new InvalidParameterException(
          "password",
          "a password has "
              + MIN_PASSWORD
              + " to "
              + MAX_PASSWORD
              + " characters; this one has "
              + password.length);
    }
    byte[] secret = totp ? Totp.newSecret() : null;
    String sealed = secret == null ? null : sealing.seal(secret, purpose(name));
    if (!state.addAdminUser(name, PasswordHash.hash(password), sealed)) {
      throw new ConflictException(
          "there is an admin user '" + name + "' already; remove it first to replace it");
    }
    return new Added(
        name, totp, secret == null ? null : Totp.uri(ISSUER, name + "@" + node, secret));
  }

  public List<User> list() throws SQLException {
    return state.adminUsers().stream()
        .map(u -> new User(u.name(), u.totpSecret() != null, u.created(), u.lastLogin()))
        .toList();
  }

  public void remove(String name) throws SQLException {
    checkName(name);
    if (!state.removeAdminUser(name)) {
      throw new NotFoundException("there is no admin user '" + name + "'");
    }
  }

  /** Whether any admin user logs in with a TOTP code (then the login form asks for one). */
  public boolean anyTotp() throws SQLException {
    return state.adminUsers().stream().anyMatch(u -> u.totpSecret() != null);
  }

  /**
   * Checks a login: the password (always hashed, so an unknown user takes as long), then the TOTP
   * code of a user who has TOTP, which works once. A successful login is recorded.
   */
  public Login login(String name, char[] password, String code) throws SQLException {
    Optional<StateStore.AdminUserRecord> user =
        name == null ? Optional.empty() : state.adminUser(name);
    boolean passwordOk =
        PasswordHash.verify(password, user.map(u -> u.passwordHash()).orElse(null));
    if (user.isEmpty()) {
      return Login.refused(Refusal.UNKNOWN_USER);
    }
    if (!passwordOk) {
      return Login.refused(Refusal.WRONG_PASSWORD);
    }
    long step = 0;
    if (user.get().totpSecret() != null) {
      byte[] secret;
      try {
        secret = sealing.open(user.get().totpSecret(), purpose(name));
      } catch (GeneralSecurityException e) {
        log.error("the TOTP secret of admin user {} does not open with the sealing key", name);
        return Login.refused(Refusal.WRONG_CODE);
      }
      OptionalLong matched = Totp.match(secret, code, clock.millis() / 1000);
      if (matched.isEmpty()) {
        return Login.refused(Refusal.WRONG_CODE);
      }
      step = matched.getAsLong();
    }
    if (!state.recordAdminLogin(name, step)) {
      return Login.refused(Refusal.REPLAYED_CODE);
    }
    return Login.ok(name);
  }

  /** Whether {@code name} is still an admin user (a removed one's sessions end). */
  public boolean exists(String name) throws SQLException {
    return state.adminUser(name).isPresent();
  }

  private static String purpose(String name) {
    return "totp:" + name;
  }

  private static void checkName(String name) {
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")) {
      throw new InvalidParameterException(
          "name",
          "an admin user's name is 1 to 64 letters, digits and . _ @ - (starting with a letter or"
              + " digit), not '"
              + name
              + "'");
    }
  }
}

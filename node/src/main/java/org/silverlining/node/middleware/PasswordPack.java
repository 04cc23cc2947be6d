package org.silverlining.node.middleware;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * {@code password}: HTTP Basic authentication before anything else of the location answers. One
 * user ({@code user}, {@code password}) or the bcrypt entries of an htpasswd file ({@code
 * htpasswd}, its content). Passwords are stored as bcrypt hashes only, never in clear.
 */
final class PasswordPack implements Pack {
  static final String NAME = "password";

  /** bcrypt's cost for passwords given in clear: about 50 ms a check, as htpasswd -B does. */
  static final int COST = 10;

  private static final PackInfo INFO =
      PackInfo.builtIn(
          NAME,
          "HTTP Basic password before the site (user and password, or an htpasswd file with"
              + " bcrypt entries)",
          new Setting("user", "the user name (with password)", false),
          new Setting("password", "the password; stored as a bcrypt hash", true),
          new Setting(
              "htpasswd",
              "an htpasswd file with bcrypt entries (htpasswd -B), instead of user and password",
              true),
          new Setting("realm", "the realm browsers show (default: restricted)", false));

  private final SecureRandom random = new SecureRandom();

  @Override
  public PackInfo info() {
    return INFO;
  }

  @Override
  public Map<String, String> store(Map<String, String> given) {
    Map<String, String> stored = new LinkedHashMap<>();
    String htpasswd = given.get("htpasswd");
    if (htpasswd != null) {
      if (given.containsKey("user") || given.containsKey("password")) {
        throw PackSettings.refused(
            this, "htpasswd", "give either htpasswd or user and password, not both");
      }
      Htpasswd.parse(htpasswd, this);
      stored.put("htpasswd", htpasswd);
    } else {
      String user = given.get("user");
      String password = given.get("password");
      if (user == null || user.isEmpty() || user.contains(":")) {
        throw PackSettings.refused(
            this, "user", "give user (a name without ':') and password, or htpasswd");
      }
      if (password == null || password.isEmpty()) {
        throw PackSettings.refused(this, "password", "give the password for " + user);
      }
      byte[] salt = new byte[16];
      random.nextBytes(salt);
      stored.put("user", user);
      stored.put("password", OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, COST));
    }
    String realm = given.get("realm");
    if (realm != null) {
      realm = PackSettings.headerValue(this, "realm", realm);
      if (realm.contains("\"") || realm.contains("\\")) {
        throw PackSettings.refused(this, "realm", "realm cannot hold \" or \\");
      }
      stored.put("realm", realm);
    }
    return stored;
  }

  @Override
  public Middleware build(Map<String, String> stored) {
    Map<String, String> hashes =
        stored.containsKey("htpasswd")
            ? Htpasswd.parse(stored.get("htpasswd"), this)
            : Map.of(stored.get("user"), stored.get("password"));
    return new BasicAuth(hashes, stored.getOrDefault("realm", "restricted"));
  }

  /** Reads {@code user:hash} lines; blank lines and {@code #} comments are skipped. */
  static final class Htpasswd {
    private Htpasswd() {}

    static Map<String, String> parse(String text, Pack pack) {
      Map<String, String> entries = new LinkedHashMap<>();
      String[] lines = text.split("\r?\n", -1);
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i].strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int colon = line.indexOf(':');
        String where = "htpasswd line " + (i + 1);
        if (colon <= 0) {
          throw PackSettings.refused(pack, "htpasswd", where + " is not USER:HASH");
        }
        String hash = line.substring(colon + 1);
        if (!hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
          throw PackSettings.refused(
              pack,
              "htpasswd",
              where
                  + " ("
                  + line.substring(0, colon)
                  + ") is not a bcrypt hash; make the file with htpasswd -B");
        }
        entries.put(line.substring(0, colon), hash);
      }
      if (entries.isEmpty()) {
        throw PackSettings.refused(pack, "htpasswd", "the htpasswd file has no entries");
      }
      return entries;
    }
  }

  /** Checks a request's Basic credentials against bcrypt hashes. */
  static final class BasicAuth implements Middleware {
    /** Checked for an unknown user, so that a wrong name costs as much as a wrong password. */
    private static final String DUMMY =
        OpenBSDBCrypt.generate("2y", "x".toCharArray(), new byte[16], COST);

    private final Map<String, String> hashes;
    private final Decision.Answer challenge;
    private final VerifiedCredentials verified = new VerifiedCredentials();

    BasicAuth(Map<String, String> hashes, String realm) {
      this.hashes = Map.copyOf(hashes);
      this.challenge =
          Decision.Answer.text(
              401,
              "This site needs a user name and password.",
              null,
              new Header("WWW-Authenticate", "Basic realm=\"" + realm + "\", charset=\"UTF-8\""));
    }

    /** Only credentials not verified before cost a bcrypt check. */
    @Override
    public boolean mayWait(RequestView request) {
      String authorization = request.header("Authorization");
      return isBasic(authorization) && !verified.contains(authorization);
    }

    private static boolean isBasic(String authorization) {
      return authorization != null
          && authorization.length() >= 6
          && authorization.regionMatches(true, 0, "Basic ", 0, 6);
    }

    @Override
    public Decision decide(RequestView request) {
      String authorization = request.header("Authorization");
      if (!isBasic(authorization)) {
        return challenge;
      }
      if (verified.contains(authorization)) {
        return Decision.PASS;
      }
      String pair;
      try {
        pair =
            new String(
                java.util.Base64.getDecoder().decode(authorization.substring(6).strip()),
                StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return refuse("", "credentials that do not decode");
      }
      int colon = pair.indexOf(':');
      if (colon < 0) {
        return refuse("", "credentials without a user name");
      }
      String user = pair.substring(0, colon);
      String hash = hashes.get(user);
      boolean ok =
          OpenBSDBCrypt.checkPassword(
              hash == null ? DUMMY : hash, pair.substring(colon + 1).toCharArray());
      if (!ok || hash == null) {
        return refuse(user, hash == null ? "unknown user" : "wrong password");
      }
      verified.add(authorization);
      return Decision.PASS;
    }

    private Decision refuse(String user, String why) {
      return new Decision.Answer(
          challenge.status(),
          challenge.headers(),
          challenge.body(),
          new Refusal(Refusal.Kind.BAD_LOGIN, "password pack: " + why, user));
    }
  }
}

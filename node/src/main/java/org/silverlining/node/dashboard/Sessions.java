package org.silverlining.node.dashboard;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's sessions, in memory (a node restart logs everyone out). A session is either a
 * login form's (no user yet: it only carries the form's CSRF token) or a logged-in user's; each has
 * a random id (the cookie) and its own random CSRF token. A session ends when it has seen no
 * request for the idle timeout, or at the absolute timeout after it began, whichever is first.
 * Login forms' sessions are capped in number, the oldest going first, so fetching the form in a
 * loop cannot fill the memory.
 */
final class Sessions {
  static final int MAX_ANONYMOUS = 10_000;

  /** A login form's session lasts this long, however short the idle timeout: time to type. */
  static final java.time.Duration LOGIN_FORM = java.time.Duration.ofMinutes(15);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final DashboardSettings settings;
  private final Clock clock;
  private final Map<String, Session> byId = new LinkedHashMap<>();
  private int anonymous;

  Sessions(DashboardSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** A session: who (null for a login form's), its CSRF token, when it began and was last used. */
  static final class Session {
    private final String id;
    private final String user;
    private final String csrf;
    private final Instant created;
    private Instant lastSeen;
    private String flash;
    private final Map<String, String> held = new LinkedHashMap<>();

    private Session(String id, String user, String csrf, Instant created) {
      this.id = id;
      this.user = user;
      this.csrf = csrf;
      this.created = created;
      this.lastSeen = created;
    }

    String id() {
      return id;
    }

    /** The logged-in user, or null for a login form's session. */
    String user() {
      return user;
    }

    String csrf() {
      return csrf;
    }

    /** Whether {@code token} is this session's CSRF token (compared in constant time). */
    boolean csrfMatches(String token) {
      return token != null
          && MessageDigest.isEqual(
              csrf.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
              token.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** Keeps a message for the next page this session sees. */
    synchronized void flash(String message) {
      flash = message;
    }

    /** The message kept for this page, once. */
    synchronized String takeFlash() {
      String f = flash;
      flash = null;
      return f;
    }

    /**
     * Keeps {@code value} (a form's content that must not travel in a URL, such as a pack's
     * settings) until the session ends, the newest {@link #MAX_HELD} only; the key that finds it.
     */
    synchronized String hold(String value) {
      if (held.size() >= MAX_HELD) {
        held.remove(held.keySet().iterator().next());
      }
      String key = randomToken();
      held.put(key, value);
      return key;
    }

    /** What {@link #hold} kept under {@code key}, or null. */
    synchronized String held(String key) {
      return key == null ? null : held.get(key);
    }

    /** Forgets what {@link #hold} kept under {@code key}. */
    synchronized void release(String key) {
      held.remove(key);
    }
  }

  /** How many values a session holds for forms waiting to be confirmed. */
  static final int MAX_HELD = 16;

  /**
   * Whether {@code s} is still live, without counting this as a request: a stream that stays open
   * checks it, and must not keep an idle session alive.
   */
  synchronized boolean live(Session s) {
    if (byId.get(s.id) != s) {
      return false;
    }
    Instant now = clock.instant();
    if (expired(s, now)) {
      remove(s.id);
      return false;
    }
    return true;
  }

  /** A new session for {@code user} (null: a login form's). */
  synchronized Session create(String user) {
    Instant now = clock.instant();
    expire(now);
    if (user == null) {
      if (anonymous >= MAX_ANONYMOUS) {
        dropOldestAnonymous();
      }
      anonymous++;
    }
    Session s = new Session(randomToken(), user, randomToken(), now);
    byId.put(s.id, s);
    return s;
  }

  /** The live session of cookie value {@code id}, marked as used now. */
  synchronized Optional<Session> find(String id) {
    if (id == null) {
      return Optional.empty();
    }
    Session s = byId.get(id);
    if (s == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (expired(s, now)) {
      remove(s.id);
      return Optional.empty();
    }
    s.lastSeen = now;
    return Optional.of(s);
  }

  synchronized void remove(String id) {
    Session s = byId.remove(id);
    if (s != null && s.user == null) {
      anonymous--;
    }
  }

  /** Ends every session of {@code user} (removed, or logged out everywhere). */
  synchronized void removeUser(String user) {
    byId.values().removeIf(s -> user.equals(s.user));
  }

  /** How many sessions are live (for tests and the overview). */
  synchronized int size() {
    expire(clock.instant());
    return byId.size();
  }

  private boolean expired(Session s, Instant now) {
    if (s.user == null) {
      return !now.isBefore(s.created.plus(LOGIN_FORM));
    }
    return !now.isBefore(s.lastSeen.plus(settings.idleTimeout()))
        || !now.isBefore(s.created.plus(settings.absoluteTimeout()));
  }

  private void expire(Instant now) {
    for (Iterator<Session> i = byId.values().iterator(); i.hasNext(); ) {
      Session s = i.next();
      if (expired(s, now)) {
        i.remove();
        if (s.user == null) {
          anonymous--;
        }
      }
    }
  }

  private void dropOldestAnonymous() {
    for (Iterator<Session> i = byId.values().iterator(); i.hasNext(); ) {
      if (i.next().user == null) {
        i.remove();
        anonymous--;
        return;
      }
    }
  }

  /** 256 random bits, URL-safe Base64. */
  static String randomToken() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}

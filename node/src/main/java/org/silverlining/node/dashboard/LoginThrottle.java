package org.silverlining.node.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Limits failed logins: after {@link #MAX_FAILURES} failures within {@link #WINDOW} from one client
 * address, or for one user name from anywhere, further attempts of that client or for that user are
 * refused, without checking the password, until the oldest of those failures is older than the
 * window. Each table keeps at most {@link #MAX_KEYS} keys, the least recently failed going first.
 */
final class LoginThrottle {
  static final int MAX_FAILURES = 10;
  static final Duration WINDOW = Duration.ofMinutes(15);
  static final int MAX_KEYS = 10_000;

  private final Clock clock;
  private final Map<String, Deque<Instant>> byClient = lru();
  private final Map<String, Deque<Instant>> byUser = lru();

  LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** How long {@code client} or {@code user} must wait before trying again, if they must. */
  synchronized Optional<Duration> wait(String client, String user) {
    Instant now = clock.instant();
    Duration w = longer(waitOf(byClient, client, now), waitOf(byUser, user, now));
    return w.isZero() ? Optional.empty() : Optional.of(w);
  }

  synchronized void failed(String client, String user) {
    Instant now = clock.instant();
    byClient.computeIfAbsent(client, k -> new ArrayDeque<>()).addLast(now);
    if (user != null && !user.isEmpty()) {
      byUser.computeIfAbsent(user, k -> new ArrayDeque<>()).addLast(now);
    }
  }

  /** A successful login forgets the user's failures (not the client's). */
  synchronized void succeeded(String user) {
    byUser.remove(user);
  }

  private static Duration waitOf(Map<String, Deque<Instant>> table, String key, Instant now) {
    if (key == null) {
      return Duration.ZERO;
    }
    Deque<Instant> failures = table.get(key);
    if (failures == null) {
      return Duration.ZERO;
    }
    while (!failures.isEmpty() && !failures.peekFirst().plus(WINDOW).isAfter(now)) {
      failures.removeFirst();
    }
    if (failures.isEmpty()) {
      table.remove(key);
      return Duration.ZERO;
    }
    if (failures.size() < MAX_FAILURES) {
      return Duration.ZERO;
    }
    Instant oldest = failures.toArray(new Instant[0])[failures.size() - MAX_FAILURES];
    return Duration.between(now, oldest.plus(WINDOW));
  }

  private static Duration longer(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Map<String, Deque<Instant>> lru() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
        return size() > MAX_KEYS;
      }
    };
  }
}

package org.silverlining.node.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which clients are banned: a client with {@code after} events within {@code window} is refused for
 * {@code banFor}. Kept in memory: a node restart lifts every ban. Asking whether a client is banned
 * is a map look-up, nothing when nobody is, so the front asks on every request.
 */
final class Bans {
  /** Clients whose events are forgotten only when they have been quiet for a window. */
  private static final int SWEEP_EVERY = 1024;

  private final int after;
  private final Duration window;
  private final Duration banFor;
  private final Clock clock;
  private final Map<String, ArrayDeque<Instant>> recent = new HashMap<>();
  private final Map<String, Instant> bannedUntil = new ConcurrentHashMap<>();
  private int counted;

  Bans(int after, Duration window, Duration banFor, Clock clock) {
    this.after = after;
    this.window = window;
    this.banFor = banFor;
    this.clock = clock;
  }

  /** Counts an event of {@code client}; true when it makes the client banned from now on. */
  synchronized boolean count(String client) {
    if (after <= 0 || banned(client)) {
      return false;
    }
    Instant now = clock.instant();
    ArrayDeque<Instant> times = recent.computeIfAbsent(client, c -> new ArrayDeque<>());
    times.addLast(now);
    while (times.size() > after || times.peekFirst().isBefore(now.minus(window))) {
      times.removeFirst();
    }
    if (++counted % SWEEP_EVERY == 0) {
      recent.values().removeIf(t -> t.isEmpty() || t.peekLast().isBefore(now.minus(window)));
    }
    if (times.size() < after) {
      return false;
    }
    recent.remove(client);
    bannedUntil.put(client, now.plus(banFor));
    return true;
  }

  /** True while {@code client} is banned. */
  boolean banned(String client) {
    if (bannedUntil.isEmpty()) {
      return false;
    }
    Instant until = bannedUntil.get(client);
    if (until == null) {
      return false;
    }
    if (clock.instant().isBefore(until)) {
      return true;
    }
    bannedUntil.remove(client, until);
    return false;
  }
}

package org.silverlining.node.tasks;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The credentials of the tasks API: one random token per instance, made when its processes get
 * their environment ({@code SILVER_TASKS_TOKEN}) and kept in memory only. A restarted node starts
 * the instances again, with new tokens.
 */
public final class TaskTokens {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Map<String, String> byInstance = new ConcurrentHashMap<>();
  private final Map<String, String> byToken = new ConcurrentHashMap<>();

  /** The token of {@code instance}, made on first use. */
  public String tokenFor(String instance) {
    return byInstance.computeIfAbsent(
        instance,
        i -> {
          byte[] raw = new byte[32];
          RANDOM.nextBytes(raw);
          String token = "task_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
          byToken.put(token, i);
          return token;
        });
  }

  /** The instance {@code token} was made for. */
  public Optional<String> instanceOf(String token) {
    return token == null ? Optional.empty() : Optional.ofNullable(byToken.get(token));
  }
}

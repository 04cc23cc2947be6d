package org.silverlining.node.middleware;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credentials that passed a slow check, so that each browser request does not pay bcrypt again
 * (every request of a Basic-authenticated site carries them). Kept as keyed SHA-256 digests, never
 * in clear; the key is random and lives only in memory. At most {@link #MAX} entries: when full, it
 * starts again empty.
 */
final class VerifiedCredentials {
  static final int MAX = 4096;

  private final byte[] key = new byte[32];
  private final Set<String> digests = ConcurrentHashMap.newKeySet();

  VerifiedCredentials() {
    new SecureRandom().nextBytes(key);
  }

  boolean contains(String credentials) {
    return digests.contains(digest(credentials));
  }

  void add(String credentials) {
    if (digests.size() >= MAX) {
      digests.clear();
    }
    digests.add(digest(credentials));
  }

  private String digest(String credentials) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(key);
      return HexFormat.of().formatHex(sha.digest(credentials.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}

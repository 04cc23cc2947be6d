package org.silverlining.node.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.silverlining.core.Hashing;
import org.silverlining.core.PrivateFile;

/**
 * The bearer tokens of the management API. The node keeps only their SHA-256 hashes, one {@code
 * NAME HASH} line each, in a file readable by its owner alone; the token itself is shown once, when
 * made.
 */
public final class Tokens {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Path file;

  public Tokens(Path file) {
    this.file = file;
  }

  /** Makes a new token called {@code name} (who it belongs to) and returns it. */
  public String create(String name) throws IOException {
    if (!name.matches("[A-Za-z0-9._@-]+")) {
      throw new IllegalArgumentException("a token name is letters, digits and . _ @ -");
    }
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String token = "silver_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    PrivateFile.append(file, name + " " + Hashing.sha256(token) + "\n");
    return token;
  }

  /** The name of the holder of {@code token}, when it is valid. */
  public Optional<String> verify(String token) throws IOException {
    if (token == null || token.isEmpty() || !Files.exists(file)) {
      return Optional.empty();
    }
    byte[] presented = HexFormat.of().parseHex(Hashing.sha256(token));
    for (String line : Files.readAllLines(file)) {
      String[] parts = line.strip().split("\\s+");
      if (parts.length == 2 && parts[1].length() == 64) {
        if (MessageDigest.isEqual(presented, HexFormat.of().parseHex(parts[1]))) {
          return Optional.of(parts[0]);
        }
      }
    }
    return Optional.empty();
  }
}

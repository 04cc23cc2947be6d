package org.silverlining.node.service;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;
import org.silverlining.core.PrivateFile;

/**
 * Credentials a service made for an app (its database password and such), one file per service in a
 * folder only the node's user can read. They are created once and reused, so provisioning again
 * changes nothing.
 */
public final class ServiceSecrets {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Path dir;

  public ServiceSecrets(Path dir) {
    this.dir = dir;
  }

  /** The stored value of {@code key} for {@code service}, or a new random one, stored first. */
  public synchronized String getOrCreate(String service, String key) throws IOException {
    Properties p = load(service);
    String v = p.getProperty(key);
    if (v == null) {
      byte[] raw = new byte[24];
      RANDOM.nextBytes(raw);
      v = HexFormat.of().formatHex(raw);
      p.setProperty(key, v);
      store(service, p);
    }
    return v;
  }

  /** The stored value, or {@code null}. */
  public synchronized String get(String service, String key) throws IOException {
    return load(service).getProperty(key);
  }

  public synchronized void delete(String service) throws IOException {
    Files.deleteIfExists(dir.resolve(service + ".properties"));
  }

  private Properties load(String service) throws IOException {
    Properties p = new Properties();
    Path f = dir.resolve(service + ".properties");
    if (Files.exists(f)) {
      try (Reader r = Files.newBufferedReader(f)) {
        p.load(r);
      }
    }
    return p;
  }

  private void store(String service, Properties p) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    StringWriter text = new StringWriter();
    p.store(text, "credentials of the " + service + " service; keep private");
    PrivateFile.replace(dir.resolve(service + ".properties"), text.toString());
  }
}

package org.silverlining.node.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.silverlining.core.PrivateFile;
import org.silverlining.node.layout.Trees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates the front serves, one folder per host under {@code ROOT/certs/}: {@code
 * HOST/certificate.pem} holds the chain and the private key together (mode 600), so that one atomic
 * rename replaces both and a node killed mid-write leaves the old pair or the new one, never a key
 * without its certificate. A wildcard host {@code *.example.com} is kept as {@code _.example.com}.
 * The served set is published with one volatile write: a change is seen by the next TLS handshake,
 * without a restart.
 */
public final class CertificateStore {
  private static final Logger log = LoggerFactory.getLogger(CertificateStore.class);
  static final String FILE = "certificate.pem";
  private static final String SOURCE_LINE = "# source = ";

  private final Path dir;
  private volatile Map<String, StoredCertificate> byHost = Map.of();

  private CertificateStore(Path dir) {
    this.dir = dir;
  }

  /** Opens the store in {@code dir}, creating it, and loads every certificate in it. */
  public static CertificateStore open(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      try {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: its own rules apply
      }
    }
    CertificateStore store = new CertificateStore(dir);
    store.load();
    return store;
  }

  private synchronized void load() throws IOException {
    Map<String, StoredCertificate> loaded = new HashMap<>();
    try (DirectoryStream<Path> hosts = Files.newDirectoryStream(dir, Files::isDirectory)) {
      for (Path hostDir : hosts) {
        String host = hostOf(hostDir.getFileName().toString());
        // a write a killed node left half-done; the file it was to replace is whole
        Files.deleteIfExists(hostDir.resolve("." + FILE + ".tmp"));
        Path file = hostDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
          continue;
        }
        try {
          loaded.put(host, parse(host, Files.readString(file, StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
          log.error("cannot read the certificate {}: {}", file, e.getMessage());
        }
      }
    }
    byHost = Map.copyOf(loaded);
  }

  static StoredCertificate parse(String host, String text) {
    String source = StoredCertificate.UPLOADED;
    if (text.startsWith(SOURCE_LINE)) {
      source = text.substring(SOURCE_LINE.length(), text.indexOf('\n')).strip();
    }
    Pem.Contents pem = Pem.read(text);
    if (pem.key() == null) {
      throw new IllegalArgumentException("no private key");
    }
    return new StoredCertificate(host, pem.certificates(), pem.key(), source);
  }

  /** The certificate kept under exactly {@code host}. */
  public Optional<StoredCertificate> get(String host) {
    return Optional.ofNullable(byHost.get(host.toLowerCase(Locale.ROOT)));
  }

  /**
   * The certificate to serve for {@code requestHost}: the one kept under that name, else the one
   * kept under its wildcard ({@code *.example.com} for {@code www.example.com}).
   */
  public Optional<StoredCertificate> forHost(String requestHost) {
    Map<String, StoredCertificate> m = byHost;
    String h = requestHost.toLowerCase(Locale.ROOT);
    StoredCertificate c = m.get(h);
    if (c == null) {
      int dot = h.indexOf('.');
      if (dot > 0) {
        c = m.get("*" + h.substring(dot));
      }
    }
    return Optional.ofNullable(c);
  }

  /** Every certificate kept, by host. */
  public List<StoredCertificate> all() {
    List<StoredCertificate> list = new ArrayList<>(byHost.values());
    list.sort(Comparator.comparing(StoredCertificate::host));
    return list;
  }

  /** Keeps {@code c} under its host, replacing what was there, and serves it from now on. */
  public synchronized void put(StoredCertificate c) throws IOException {
    Path file = folderOf(c.host()).resolve(FILE);
    Files.createDirectories(file.getParent());
    PrivateFile.replace(file, SOURCE_LINE + c.source() + "\n" + Pem.write(c.chain(), c.key()));
    Map<String, StoredCertificate> m = new HashMap<>(byHost);
    m.put(c.host(), c);
    byHost = Map.copyOf(m);
  }

  /** Stops serving the certificate of {@code host} and deletes it; false if there was none. */
  public synchronized boolean remove(String host) throws IOException {
    String h = host.toLowerCase(Locale.ROOT);
    if (!byHost.containsKey(h)) {
      return false;
    }
    Map<String, StoredCertificate> m = new HashMap<>(byHost);
    m.remove(h);
    byHost = Map.copyOf(m);
    Trees.delete(folderOf(h));
    return true;
  }

  /** The folder of {@code host}'s certificate. */
  public Path folderOf(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return dir.resolve(h.startsWith("*.") ? "_" + h.substring(1) : h);
  }

  private static String hostOf(String folder) {
    return folder.startsWith("_.") ? "*" + folder.substring(1) : folder;
  }
}

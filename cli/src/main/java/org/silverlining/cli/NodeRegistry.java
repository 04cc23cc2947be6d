package org.silverlining.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.silverlining.core.IniFile;
import org.silverlining.core.PrivateFile;
import org.silverlining.node.NodeSettings;
import org.silverlining.node.layout.NodeLayout;

/**
 * The nodes this user's CLI knows: {@code ~/.silverlining/nodes/NAME.ini}, each with the admin
 * address and token, the SHA-256 fingerprint of the management API's certificate when it speaks
 * TLS, and for a node on this machine its root, so that the address the node really uses is read
 * from its {@code node.ini}.
 */
public final class NodeRegistry {
  private final Path dir;

  /**
   * A registered node. {@code root} is {@code null} for a remote node; {@code fingerprint} is the
   * pinned certificate of an {@code https://} management API, null for plain HTTP.
   */
  public record NodeRef(
      String name, String adminUrl, String token, Path root, Path file, String fingerprint) {
    public NodeRef(String name, String adminUrl, String token, Path root, Path file) {
      this(name, adminUrl, token, root, file, null);
    }
  }

  public NodeRegistry(Path home) {
    this.dir = home.resolve(".silverlining").resolve("nodes");
  }

  public static NodeRegistry forUser() {
    return new NodeRegistry(home());
  }

  /** The user's home: $HOME first, as every other tool does; the JVM's user.home ignores it. */
  public static Path home() {
    String home = System.getenv("HOME");
    return Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home"));
  }

  public Path fileOf(String name) {
    return dir.resolve(name + ".ini");
  }

  /** The SSH host keys pinned on first use for the nodes this CLI set up over SSH. */
  public Path knownHosts() {
    return dir.resolve("known_hosts");
  }

  /** Whether a node called {@code name} is registered. */
  public boolean has(String name) {
    return Files.isRegularFile(fileOf(name));
  }

  /** Every key of the node's registration (admin, token, root, provider, host, ...). */
  public Map<String, String> entry(String name) throws IOException {
    resolve(name); // the refusal of an unknown name, listing the known ones
    Map<String, String> node = new LinkedHashMap<>();
    IniFile.read(fileOf(name)).section("node").forEach((k, e) -> node.put(k, e.value()));
    return node;
  }

  /**
   * Replaces the node's registration with {@code node}; a registration whose content is unchanged
   * is left untouched, and a changed one keeps its age (the oldest is the default node).
   */
  public void update(String name, Map<String, String> node) throws IOException {
    Path file = fileOf(name);
    if (Files.isRegularFile(file) && entry(name).equals(node)) {
      return;
    }
    java.nio.file.attribute.FileTime registered =
        Files.isRegularFile(file) ? Files.getLastModifiedTime(file) : null;
    write(name, node);
    if (registered != null) {
      Files.setLastModifiedTime(file, registered);
    }
  }

  /** Forgets the node {@code name}. */
  public void unregister(String name) throws IOException {
    Files.deleteIfExists(fileOf(name));
  }

  public void register(String name, String adminUrl, String token, Path root) throws IOException {
    register(name, adminUrl, token, root, null);
  }

  /** Registers a node whose management API presents the certificate of {@code fingerprint}. */
  public void register(String name, String adminUrl, String token, Path root, String fingerprint)
      throws IOException {
    Map<String, String> node = new LinkedHashMap<>();
    node.put("admin", adminUrl);
    node.put("token", token);
    if (root != null) {
      node.put("root", root.toAbsolutePath().normalize().toString());
    }
    if (fingerprint != null) {
      node.put("fingerprint", fingerprint);
    }
    write(name, node);
  }

  /**
   * Pins {@code fingerprint} for the node {@code name} from now on ({@code silver node trust}),
   * keeping the rest of its registration.
   */
  public void trust(String name, String fingerprint) throws IOException {
    Path file = fileOf(name);
    if (!Files.isRegularFile(file)) {
      throw new UserException(
          "unknown node '" + name + "'; known nodes: " + String.join(", ", names()));
    }
    Map<String, String> node = new LinkedHashMap<>();
    IniFile.read(file).section("node").forEach((k, e) -> node.put(k, e.value()));
    node.put("fingerprint", fingerprint);
    // A pinned certificate means TLS: a node registered before its API spoke TLS (release 0.1
    // with a non-loopback admin address) is reached at https:// from now on.
    node.computeIfPresent("admin", (k, url) -> url.replaceFirst("^http://", "https://"));
    // The oldest registration is the default node: trusting must not change which one that is.
    java.nio.file.attribute.FileTime registered = Files.getLastModifiedTime(file);
    write(name, node);
    Files.setLastModifiedTime(file, registered);
  }

  private void write(String name, Map<String, String> node) throws IOException {
    PrivateFile.replace(
        fileOf(name),
        "# A silver node known to this CLI.\n" + IniFile.render(Map.of("node", node)));
  }

  /** Registered node names, oldest registration first (the first is the default). */
  public List<String> names() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = new ArrayList<>(s.filter(p -> p.getFileName().toString().endsWith(".ini")).toList());
    }
    files.sort(
        Comparator.comparing((Path p) -> p.toFile().lastModified()).thenComparing(Path::toString));
    return files.stream().map(p -> p.getFileName().toString().replaceFirst("\\.ini$", "")).toList();
  }

  /** The node called {@code name}, or the default one when {@code name} is null. */
  public NodeRef resolve(String name) throws IOException {
    if (name == null) {
      List<String> names = names();
      if (names.isEmpty()) {
        throw new UserException(
            "no node is registered; create one with: silver node init --root DIR (or run silver quickstart)");
      }
      name = names.get(0);
    }
    Path file = fileOf(name);
    if (!Files.isRegularFile(file)) {
      throw new UserException(
          "unknown node '"
              + name
              + "'; known nodes: "
              + String.join(", ", names())
              + " ("
              + dir
              + ")");
    }
    IniFile ini = IniFile.read(file);
    String admin = ini.get("node", "admin").orElse("");
    String token = ini.get("node", "token").orElse("");
    Path root = ini.get("node", "root").map(Path::of).orElse(null);
    String fingerprint = ini.get("node", "fingerprint").filter(f -> !f.isBlank()).orElse(null);
    if (root != null) {
      Path nodeIni = new NodeLayout(root).nodeIni();
      if (Files.isRegularFile(nodeIni)) {
        admin = adminUrl(NodeSettings.load(nodeIni));
      }
    }
    return new NodeRef(name, admin, token, root, file, fingerprint);
  }

  /** The URL the CLI reaches {@code settings}' management API at. */
  static String adminUrl(NodeSettings settings) {
    NodeSettings.HostPort a = settings.admin();
    String host = a.host().equals("0.0.0.0") || a.host().isEmpty() ? "127.0.0.1" : a.host();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return (settings.adminOverTls() ? "https://" : "http://") + host + ":" + a.port();
  }
}

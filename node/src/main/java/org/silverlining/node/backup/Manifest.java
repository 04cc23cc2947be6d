package org.silverlining.node.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.backupformat.HashedFiles;
import org.silverlining.node.backupformat.RowFile;

/**
 * {@code manifest.json}: the one file of a backup that holds volatile facts (app, instance, node,
 * time), the services with their server versions, and the sha256 of every other file.
 *
 * @param facts app, instance, node, created, and any other facts the caller gives
 * @param services by service name: the alias the app used and the server's version
 * @param files by path relative to the backup folder, with {@code /}: sha256 in hex
 */
public record Manifest(
    SortedMap<String, String> facts,
    SortedMap<String, Service> services,
    SortedMap<String, String> files) {

  public static final String FILE = "manifest.json";
  public static final String FORMAT = "silver-backup";

  /** The format version this node writes; it reads every version up to this one. */
  public static final int VERSION = 2;

  /** One service in the backup. */
  public record Service(String alias, String server) {}

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  void write(Path dir) throws IOException {
    Files.writeString(dir.resolve(FILE), JSON.writeValueAsString(toJson()) + "\n");
  }

  private ObjectNode toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    ObjectNode f = root.putObject("facts");
    facts.forEach(f::put);
    ObjectNode s = root.putObject("services");
    services.forEach(
        (name, svc) -> s.putObject(name).put("alias", svc.alias()).put("server", svc.server()));
    ObjectNode files = root.putObject("files");
    this.files.forEach(files::put);
    return root;
  }

  /**
   * A backup written in parts ({@link BackupParts}) that is not whole yet: the manifest of the
   * parts written, and the services still to come.
   */
  record Unfinished(Manifest sofar, List<String> later) {}

  /** Writes this manifest and {@code later} into {@code file}, replacing it in one step. */
  void writeUnfinished(Path file, List<String> later) throws IOException {
    ObjectNode root = toJson();
    later.forEach(root.putArray("later")::add);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, JSON.writeValueAsString(root) + "\n");
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static Unfinished readUnfinished(Path file) throws IOException, BackupException {
    JsonNode root = JSON.readTree(file.toFile());
    List<String> later = new ArrayList<>();
    root.path("later").forEach(n -> later.add(n.asText()));
    return new Unfinished(parse(root, file.toString()), List.copyOf(later));
  }

  static Manifest read(Path dir) throws IOException, BackupException {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new BackupException(dir + " is not a backup: it has no " + FILE);
    }
    return parse(JSON.readTree(file.toFile()), file.toString());
  }

  /** The manifest in {@code bytes}; {@code source} names it in messages. */
  static Manifest parse(byte[] bytes, String source) throws IOException, BackupException {
    return parse(JSON.readTree(bytes), source);
  }

  private static Manifest parse(JsonNode root, String file) throws BackupException {
    if (!FORMAT.equals(root.path("format").asText())) {
      throw new BackupException(file + " is not a " + FORMAT + " manifest");
    }
    int version = root.path("version").asInt(-1);
    if (version < 1 || version > VERSION) {
      throw new BackupException(
          file
              + " is format version "
              + version
              + "; this node reads versions 1 to "
              + VERSION
              + (version > VERSION ? ": update the node to restore it" : ""));
    }
    SortedMap<String, String> facts = new TreeMap<>();
    root.path("facts").properties().forEach(e -> facts.put(e.getKey(), e.getValue().asText()));
    SortedMap<String, Service> services = new TreeMap<>();
    root.path("services")
        .properties()
        .forEach(
            e ->
                services.put(
                    e.getKey(),
                    new Service(
                        e.getValue().path("alias").asText(),
                        e.getValue().path("server").asText())));
    SortedMap<String, String> files = new TreeMap<>();
    root.path("files").properties().forEach(e -> files.put(e.getKey(), e.getValue().asText()));
    return new Manifest(facts, services, files);
  }

  /** Every regular file under {@code dir} but the manifest, by relative path with {@code /}. */
  static SortedMap<String, String> checksums(Path dir) throws IOException {
    return checksums(dir, null, rel -> true);
  }

  /**
   * As {@link #checksums(Path)}, for the files whose relative paths {@code which} accepts, taking
   * the sums {@code hashed} (if not null) recorded already.
   */
  static SortedMap<String, String> checksums(Path dir, HashedFiles hashed, Predicate<String> which)
      throws IOException {
    SortedMap<String, String> out = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    for (Path p : files) {
      String rel = relative(dir, p);
      if (!rel.equals(FILE) && which.test(rel)) {
        String known = hashed == null ? null : hashed.sha256(p, Files.size(p));
        out.put(rel, known != null ? known : sha256(p));
      }
    }
    return out;
  }

  /** What differs between the checksums listed here and the files in {@code dir}. */
  List<String> differences(Path dir) throws IOException {
    return differences(checksums(dir));
  }

  /** What differs between the checksums listed here and {@code actual}, by relative path. */
  List<String> differences(SortedMap<String, String> actual) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : files.entrySet()) {
      String found = actual.get(e.getKey());
      if (found == null) {
        out.add(e.getKey() + ": missing");
      } else if (!found.equals(e.getValue())) {
        out.add(
            e.getKey()
                + ": altered (sha256 "
                + found
                + ", the manifest says "
                + e.getValue()
                + ")");
      }
    }
    for (String extra : actual.keySet()) {
      if (!files.containsKey(extra)) {
        out.add(extra + ": not in the manifest");
      }
    }
    return out;
  }

  static String relative(Path dir, Path p) {
    return dir.relativize(p).toString().replace(dir.getFileSystem().getSeparator(), "/");
  }

  public static String sha256(Path file) throws IOException {
    MessageDigest md = HashedFiles.sha256();
    byte[] buf = new byte[RowFile.BUFFER_BYTES];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}

package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.silverlining.node.backup.Backup;
import org.silverlining.node.backup.BackupArchive;
import org.silverlining.node.backup.BackupStream;
import org.silverlining.node.backup.FolderTar;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.layout.Trees;

/**
 * The client half of {@code silver backup} and {@code silver restore}: receives a backup as an
 * archive stream into a file or folder, sends a file or folder to be restored, or pipes one node's
 * backup straight into another node's restore. Nothing is held in memory; what is received is
 * checked (every checksum) before it gets its final name.
 */
final class BackupTransfer {
  static final String DEFAULT_SUFFIX = ".silverbackup";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private static final String NODE_WRITING = "the node is writing the backup";

  private BackupTransfer() {}

  /** What a backup wrote: where, how many files and bytes. */
  record Saved(Path path, String app, long files, long bytes) {}

  /**
   * Backs up the app at {@code location} into {@code dest}: a {@code .tar.gz}/{@code .tar.zst}
   * file, a new folder, or, when null, {@code ./APP-YYYYMMDD-HHMMSS.silverbackup.tar.gz} (UTC) in
   * {@code format}.
   */
  static Saved save(ApiClient api, String location, Path dest, BackupArchive.Compression format)
      throws IOException {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("location", location);
    return save(api, "backup", params, dest, format);
  }

  /**
   * As {@link #save(ApiClient, String, Path, BackupArchive.Compression)}, of the data a nodeset's
   * services node {@code db} keeps for {@code app}.
   */
  static Saved saveProvided(ApiClient db, String app, Path dest, BackupArchive.Compression format)
      throws IOException {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("app", app);
    return save(db, "services/backup", params, dest, format);
  }

  /** Saves the backup the call {@code GET path?params} answers. */
  private static Saved save(
      ApiClient api,
      String path,
      Map<String, String> params,
      Path dest,
      BackupArchive.Compression format)
      throws IOException {
    if (dest != null) {
      refuseExisting(dest);
    }
    BackupArchive.Compression c =
        dest == null ? format : BackupArchive.compressionOf(dest).orElse(wireCompression(api));
    // A folder from a node on this machine is moved out of the node's folder when this user can,
    // and otherwise comes as a stream sent while the node writes it.
    boolean stream = c == BackupArchive.Compression.NONE;
    Path uploads = stream && dest != null ? takenFrom(api, dest) : null;
    if (uploads != null) {
      return take(api, path, params, uploads, dest);
    }
    params.put("format", stream ? "stream" : c.suffix().substring(1));
    // The node answers once the backup is written (or, as a stream, while it is): until then the
    // meter shows how long it has been writing.
    try (TransferMeter meter = TransferMeter.start(NODE_WRITING, "received", System.out)) {
      ApiClient.Download d = api.open(path, params);
      String app = d.header("X-Silver-App");
      Path target =
          dest != null
              ? dest
              : Path.of(app + "-" + STAMP.format(Instant.now()) + DEFAULT_SUFFIX + c.suffix());
      refuseExisting(target);
      Path abs = target.toAbsolutePath();
      Files.createDirectories(abs.getParent());
      boolean archive = BackupArchive.isArchive(target);
      String tmpName = "." + abs.getFileName() + ".partial-" + ProcessHandle.current().pid();
      Path tmp = abs.resolveSibling(archive ? tmpName + c.suffix() : tmpName);
      // One pass: what arrives is written (as it is, or unpacked) and every file hashed on the way.
      try (InputStream in = new BufferedInputStream(meter.count(d.body()), 1 << 16)) {
        BackupArchive.Contents contents;
        if (archive) {
          try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            contents = BackupArchive.read(new Tee(in, file), null, "the node's answer");
          }
        } else if (stream) {
          contents = BackupStream.read(in, tmp, "the node's answer");
        } else {
          contents = BackupArchive.read(in, tmp, "the node's answer");
        }
        List<String> problems = Backup.verify(contents, "the node's answer");
        if (!problems.isEmpty()) {
          throw new UserException(
              "the backup received is damaged (was the connection cut?); nothing was saved:\n  "
                  + String.join("\n  ", problems));
        }
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
      } catch (BackupException e) {
        // a stream also carries the node's own failure, which says what it is
        throw new UserException(
            (stream ? "" : "the backup received is damaged; ")
                + "nothing was saved: "
                + e.getMessage());
      } catch (IOException e) {
        throw new UserException(
            "receiving the backup failed (" + BackupArchive.reason(e) + "); nothing was saved");
      } finally {
        Trees.delete(tmp);
      }
      return new Saved(target, app, countFiles(abs), sizeOf(abs));
    }
  }

  /**
   * The uploads folder of the node {@code api} talks to, when it is on this machine and this user
   * can move a folder from there to {@code dest} (write access, one file system); else null.
   */
  private static Path takenFrom(ApiClient api, Path dest) {
    Path root = api.node().root();
    if (root == null || !isLoopback(api.node().adminUrl())) {
      return null;
    }
    Path uploads = new NodeLayout(root).uploadsDir();
    Path parent = dest.toAbsolutePath().getParent();
    while (parent != null && !Files.isDirectory(parent)) {
      parent = parent.getParent();
    }
    try {
      return parent != null
              && Files.isWritable(uploads)
              && Files.isWritable(parent)
              && Files.getFileStore(uploads).equals(Files.getFileStore(parent))
          ? uploads
          : null;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Has the node write the backup into its {@code uploads} folder and moves it to {@code dest}: no
   * byte of the data passes through this process.
   */
  private static Saved take(
      ApiClient api, String path, Map<String, String> params, Path uploads, Path dest)
      throws IOException {
    params.put("format", "folder");
    ApiClient.Download d;
    try (TransferMeter meter = TransferMeter.start(NODE_WRITING, null, System.out)) {
      d = api.open(path, params);
      d.body().close();
    }
    String app = d.header("X-Silver-App");
    String written = d.header("X-Silver-Folder");
    Path folder =
        written == null
            ? null
            : Path.of(URLDecoder.decode(written, StandardCharsets.UTF_8)).normalize();
    if (folder == null || !folder.startsWith(uploads) || !Files.isDirectory(folder)) {
      throw new UserException(
          "the node answered with no backup folder under " + uploads + " (" + written + ")");
    }
    Path abs = dest.toAbsolutePath();
    try {
      Files.createDirectories(abs.getParent());
      refuseExisting(abs);
      Files.move(folder, abs, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UserException(
          "cannot move the backup from " + folder + " to " + abs + ": " + e.getMessage());
    } finally {
      Trees.delete(folder.getParent()); // the node's temporary folder, empty once moved
    }
    return new Saved(dest, app, countFiles(abs), sizeOf(abs));
  }

  /**
   * Sends the backup at {@code source} (folder or archive) to be restored at {@code location},
   * printing the node's progress; returns the result line.
   */
  static JsonNode restore(ApiClient api, Path source, String location, PrintStream out)
      throws IOException {
    checkSource(source);
    Map<String, String> params = Map.of("location", location);
    JsonNode[] last = new JsonNode[1];
    ApiClient.Body body =
        Files.isDirectory(source)
            ? new PackedFolder(source, wireCompression(api))
            : ApiClient.Body.of(source);
    try (TransferMeter meter = TransferMeter.start("sent", out);
        AppUploader.StageLines lines = AppUploader.progress(out, last)) {
      api.postStreaming("restore", params, meter.count(body), meterThenProgress(meter, lines));
    }
    return last[0];
  }

  /**
   * Refuses, before any data moves, a backup whose services ({@code backup}) are not exactly those
   * of the app the node described in {@code target} (its answer to {@code GET backups}), listing
   * the differences as the node would. The node checks again before it touches anything.
   */
  static void checkServices(java.util.Collection<String> backup, JsonNode target) {
    java.util.TreeSet<String> app = new java.util.TreeSet<>();
    target.path("services").forEach(n -> app.add(n.asText()));
    if (target.path("services").isMissingNode()) {
      return; // a node from before the list was offered: it checks alone
    }
    List<String> diff = new java.util.ArrayList<>();
    for (String s : new java.util.TreeSet<>(backup)) {
      if (!app.contains(s)) {
        diff.add("service." + s + ": in the backup, not in the app");
      }
    }
    for (String s : app) {
      if (!backup.contains(s)) {
        diff.add("service." + s + ": in the app, not in the backup");
      }
    }
    if (!diff.isEmpty()) {
      throw new UserException(
          "the backup's services differ from those of "
              + target.path("app").asText()
              + " at "
              + target.path("location").asText()
              + "; nothing was restored:\n  "
              + String.join("\n  ", diff));
    }
  }

  /** The services a backup folder holds, from its manifest; empty for an archive. */
  static java.util.Optional<List<String>> servicesOf(Path backup) throws IOException {
    Path manifest = backup.resolve("manifest.json");
    if (!Files.isDirectory(backup) || !Files.isRegularFile(manifest)) {
      return java.util.Optional.empty();
    }
    JsonNode m = new com.fasterxml.jackson.databind.ObjectMapper().readTree(manifest.toFile());
    List<String> out = new java.util.ArrayList<>();
    m.path("services").fieldNames().forEachRemaining(out::add);
    return java.util.Optional.of(out);
  }

  /** The node's progress lines, once the upload is done and its meter is off the line. */
  private static java.util.function.Consumer<JsonNode> meterThenProgress(
      TransferMeter meter, AppUploader.StageLines lines) {
    boolean[] sending = {true};
    return line -> {
      boolean started = "started".equals(line.path("status").asText());
      if (!started) {
        meter.close();
        sending[0] = false;
      }
      if (!started || !sending[0]) { // while the upload runs, its meter has the line
        lines.accept(line);
      }
    };
  }

  /**
   * How a folder travels to or from the node: a plain tar to a node on this machine, where
   * compressing costs more time than the bytes it saves; zstd to any other (several times faster
   * than gzip to pack and unpack).
   */
  static BackupArchive.Compression wireCompression(ApiClient api) {
    return isLoopback(api.node().adminUrl())
        ? BackupArchive.Compression.NONE
        : BackupArchive.Compression.ZSTD;
  }

  static boolean isLoopback(String url) {
    try {
      String host = URI.create(url).getHost();
      return host != null && InetAddress.getByName(host).isLoopbackAddress();
    } catch (IllegalArgumentException | UnknownHostException e) {
      return false;
    }
  }

  /** Refuses, before anything is asked or sent, what cannot be a backup. */
  static void checkSource(Path source) {
    if (!Files.exists(source)) {
      throw new UserException(source + ": no such backup file or folder");
    }
    if (Files.isDirectory(source) && !Files.isRegularFile(source.resolve("manifest.json"))) {
      throw new UserException(
          source + " is not a backup: it has no manifest.json (make one with silver backup)");
    }
  }

  /**
   * Streams a backup of {@code location} on {@code from} straight into a restore of {@code
   * toLocation} on {@code to}: through this process, without a file. Returns the result line.
   */
  static JsonNode clone(
      ApiClient from, String location, ApiClient to, String toLocation, PrintStream out)
      throws IOException {
    ApiClient.Download d =
        from.open(
            "backup",
            Map.of("location", location, "format", BackupArchive.Compression.ZSTD.suffix()));
    JsonNode[] last = new JsonNode[1];
    try (TransferMeter meter = TransferMeter.start("streamed", out);
        AppUploader.StageLines lines = AppUploader.progress(out, last);
        InputStream in = meter.count(d.body())) {
      to.postStreamStreaming(
          "restore", Map.of("location", toLocation), in, meterThenProgress(meter, lines));
    }
    return last[0];
  }

  /** Copies what is read from a stream to another stream. */
  private static final class Tee extends java.io.FilterInputStream {
    private final OutputStream copy;

    Tee(InputStream in, OutputStream copy) {
      super(in);
      this.copy = copy;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        copy.write(b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        copy.write(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // bytes skipped must reach the copy too
      byte[] buf = new byte[(int) Math.min(n, 8192)];
      int read = read(buf, 0, buf.length);
      return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }

  /**
   * A backup folder as a request body, packed while it is sent, on the thread that sends it. As a
   * plain tar its length is known before it is sent; compressed, it goes chunked.
   */
  private static final class PackedFolder implements ApiClient.Body {
    private final FolderTar tar;
    private final BackupArchive.Compression compression;

    PackedFolder(Path dir, BackupArchive.Compression compression) {
      try {
        this.tar = FolderTar.of(dir);
      } catch (IOException e) {
        throw new UserException("reading the backup folder failed: " + e.getMessage());
      }
      this.compression = compression;
    }

    @Override
    public long length() {
      return compression == BackupArchive.Compression.NONE ? tar.length() : -1;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
      Watched sending = new Watched(out);
      try {
        BackupArchive.pack(tar, sending, compression);
      } catch (IOException e) {
        if (sending.failed) {
          throw e;
        }
        // the unfinished upload is refused by the node: it checks every file first
        throw new UserException("reading the backup folder failed: " + e.getMessage());
      }
    }
  }

  /** An output stream that remembers whether a write to it failed. */
  private static final class Watched extends java.io.FilterOutputStream {
    boolean failed;

    Watched(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }
  }

  static void refuseExisting(Path p) {
    if (Files.exists(p)) {
      throw new UserException(p + " exists already; give a new folder or file name");
    }
    String name = p.getFileName() == null ? "" : p.getFileName().toString();
    if (!BackupArchive.isArchive(p)
        && name.matches(".*\\.(tar|tgz|gz|zst|zip|tar\\.bz2|tar\\.xz)")) {
      throw new UserException(
          p
              + ": a backup file ends in .tar.gz or .tar.zst (any other name is a folder to"
              + " create)");
    }
  }

  private static long countFiles(Path p) throws IOException {
    if (!Files.isDirectory(p)) {
      return 1;
    }
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  private static long sizeOf(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }
}

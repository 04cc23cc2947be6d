package org.silverlining.node.backup;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.silverlining.node.backupformat.Arrivals;
import org.silverlining.node.backupformat.BackupException;

/**
 * A backup folder as one {@code .tar.gz} or {@code .tar.zst}: entries in path order, every time
 * stamp 0, owner 0, modes 0755 for folders and 0644 for files (0755 when executable), and a
 * compressor without time stamps or threads, so that the same folder always gives the same bytes.
 * An archive can be written to and read from a stream, so a backup travels over the network without
 * being held in memory; to and from a node on the same machine it travels as a plain tar ({@link
 * Compression#NONE}), which is never a file.
 */
public final class BackupArchive {
  public static final String SUFFIX = ".tar.gz";
  public static final String ZSTD_SUFFIX = ".tar.zst";

  /** How much of an archive's file is read, hashed and written at a time. */
  private static final int READ_BUFFER = 1 << 20;

  /** zstd's default level: about gzip's ratio at several times its speed. */
  static final int ZSTD_LEVEL = 3;

  /**
   * gzip's fastest level: on table data about three times the speed of the default (6) for a file a
   * tenth larger.
   */
  static final int GZIP_LEVEL = 1;

  /** How the tar stream is compressed. */
  public enum Compression {
    GZIP(SUFFIX, "application/gzip"),
    ZSTD(ZSTD_SUFFIX, "application/zstd"),
    /**
     * A plain tar, for the wire to a node on the same machine only, where compressing costs more
     * than it saves. Without a compressor's trailer, a cut between entries goes unnoticed by the
     * tar reader; the manifest's list of files catches every file it lost.
     */
    NONE(".tar", "application/x-tar");

    private final String suffix;
    private final String mediaType;

    Compression(String suffix, String mediaType) {
      this.suffix = suffix;
      this.mediaType = mediaType;
    }

    public String suffix() {
      return suffix;
    }

    public String mediaType() {
      return mediaType;
    }

    /** {@code gz} / {@code tar.gz} / {@code zst} / {@code tar.zst} / {@code tar}, any case. */
    public static Compression named(String name) {
      String n = name.toLowerCase(Locale.ROOT).replaceFirst("^\\.?(tar\\.)?", "");
      return switch (n) {
        case "gz", "gzip" -> GZIP;
        case "zst", "zstd" -> ZSTD;
        case "tar", "none" -> NONE;
        default ->
            throw new IllegalArgumentException(
                "unknown archive format '" + name + "'; use tar.gz or tar.zst");
      };
    }
  }

  private BackupArchive() {}

  public static boolean isArchive(Path p) {
    return compressionOf(p).isPresent();
  }

  /** The compression a file name asks for: {@code .tar.gz} or {@code .tar.zst}; empty otherwise. */
  public static Optional<Compression> compressionOf(Path p) {
    String name = p.getFileName().toString();
    for (Compression c : List.of(Compression.GZIP, Compression.ZSTD)) {
      if (name.endsWith(c.suffix())) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** The file a folder's restore needs before its other files: it loads them as they arrive. */
  static final String FIRST = "schema.sql";

  /**
   * The order of an archive's entries: by path, one name at a time, except that {@link #FIRST}
   * comes before the other entries of its folder.
   */
  static final Comparator<Path> ORDER =
      (a, b) -> {
        int n = Math.min(a.getNameCount(), b.getNameCount());
        for (int i = 0; i < n; i++) {
          String x = a.getName(i).toString();
          String y = b.getName(i).toString();
          if (!x.equals(y)) {
            boolean firstX = x.equals(FIRST) && i == a.getNameCount() - 1;
            boolean firstY = y.equals(FIRST) && i == b.getNameCount() - 1;
            return firstX != firstY ? (firstX ? -1 : 1) : x.compareTo(y);
          }
        }
        return Integer.compare(a.getNameCount(), b.getNameCount());
      };

  /** Writes {@code dir} into the archive {@code file}, compressed as its name says. */
  public static void pack(Path dir, Path file) throws IOException {
    Compression c =
        compressionOf(file)
            .orElseThrow(() -> new IOException(file + ": not a .tar.gz or .tar.zst file name"));
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      pack(dir, out, c);
    }
  }

  /** Writes {@code dir} as a compressed tar to {@code out}, and finishes it (out stays open). */
  public static void pack(Path dir, OutputStream out, Compression compression) throws IOException {
    pack(FolderTar.of(dir), out, compression);
  }

  /** Writes {@code tar} compressed to {@code out}, and finishes it (out stays open). */
  public static void pack(FolderTar tar, OutputStream out, Compression compression)
      throws IOException {
    try (OutputStream z = compressor(new Unclosed(out), compression)) {
      tar.writeTo(z);
    }
    out.flush();
  }

  private static OutputStream compressor(OutputStream out, Compression c) throws IOException {
    if (c == Compression.NONE) {
      return out;
    }
    if (c == Compression.ZSTD) {
      ZstdOutputStream z = new ZstdOutputStream(out, ZSTD_LEVEL);
      z.setChecksum(true);
      return z;
    }
    GzipParameters gz = new GzipParameters();
    gz.setModificationTime(0);
    gz.setCompressionLevel(GZIP_LEVEL);
    return new GzipCompressorOutputStream(out, gz);
  }

  /**
   * Unpacks {@code file} into the empty folder {@code dir}; fails on a damaged or truncated archive
   * and on any entry that would land outside {@code dir}.
   */
  public static void unpack(Path file, Path dir) throws IOException, BackupException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      unpack(in, dir, file.toString());
    }
  }

  /**
   * Unpacks the archive read from {@code in} (gzip or zstd, told apart by their magic bytes) into
   * the folder {@code dir}; {@code source} names it in messages. Fails on a damaged or truncated
   * stream and on any entry that would land outside {@code dir}.
   */
  public static void unpack(InputStream in, Path dir, String source)
      throws IOException, BackupException {
    read(in, dir, source);
  }

  /**
   * What one pass over an archive found: the sha256 of every file but the manifest, by relative
   * path, and the manifest's bytes (null when there is none). Check it with {@link
   * Backup#verify(Contents, String)}.
   */
  public record Contents(SortedMap<String, String> sums, byte[] manifest) {}

  /** Writing what arrived into the folder failed: the fault of the disk, not of the archive. */
  public static final class WriteFailed extends IOException {
    private static final long serialVersionUID = 1L;

    WriteFailed(Path file, IOException cause) {
      super(
          "cannot write "
              + file
              + ": "
              + (cause instanceof FileSystemException f && f.getReason() != null
                  ? f.getReason()
                  : cause.getMessage()),
          cause);
    }
  }

  /**
   * What went wrong reading an archive, in words: the exception's message, or, for one without (a
   * stream that ended inside a header), what it means.
   */
  public static String reason(IOException e) {
    if (e.getMessage() != null) {
      return e.getMessage();
    }
    return e instanceof EOFException ? "it ends too early" : e.getClass().getSimpleName();
  }

  private static void makeFolder(Path dir) throws WriteFailed {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new WriteFailed(dir, e);
    }
  }

  /** A new empty file {@code file}, with the folders above it. */
  private static FileChannel create(Path file) throws WriteFailed {
    makeFolder(file.getParent());
    try {
      return FileChannel.open(
          file,
          StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new WriteFailed(file, e);
    }
  }

  /** Writes all of {@code b} into {@code file}, which is at {@code path}. */
  private static void write(FileChannel file, Path path, ByteBuffer b) throws WriteFailed {
    try {
      while (b.hasRemaining()) {
        file.write(b);
      }
    } catch (IOException e) {
      throw new WriteFailed(path, e);
    }
  }

  /**
   * Reads the archive from {@code in} in one pass, hashing every file as it goes by, and unpacks it
   * into {@code dir} unless that is null. Fails as {@link #unpack(InputStream, Path, String)} does.
   */
  public static Contents read(InputStream in, Path dir, String source)
      throws IOException, BackupException {
    return read(in, dir, source, null);
  }

  /**
   * As {@link #read(InputStream, Path, String)}, telling {@code arrivals} (if not null) of each
   * file as it is written, so that it can be read while it arrives. A failure to write into {@code
   * dir} is a {@link WriteFailed}.
   */
  public static Contents read(InputStream in, Path dir, String source, Arrivals arrivals)
      throws IOException, BackupException {
    Path root = dir == null ? Path.of("/").resolve("backup") : dir.toAbsolutePath().normalize();
    if (dir != null) {
      makeFolder(root);
    }
    SortedMap<String, String> sums = new TreeMap<>();
    byte[] manifest = null;
    byte[] buf = new byte[READ_BUFFER];
    InputStream buffered = in.markSupported() ? in : new BufferedInputStream(in);
    try (InputStream z = decompressor(buffered, source);
        TarArchiveInputStream tar = new TarArchiveInputStream(z)) {
      TarArchiveEntry e;
      boolean any = false;
      while ((e = tar.getNextEntry()) != null) {
        any = true;
        if (e.getName().isEmpty()) {
          // never written by a backup: what a flipped bit in the compressed stream reads as
          throw new BackupException(source + " is damaged (an entry without a name)");
        }
        Path dest = root.resolve(e.getName()).normalize();
        if (!dest.startsWith(root) || dest.equals(root)) {
          throw new BackupException(source + ": entry '" + e.getName() + "' is outside the backup");
        }
        String name = root.relativize(dest).toString().replace(java.io.File.separatorChar, '/');
        if (e.isDirectory()) {
          if (dir != null) {
            makeFolder(dest);
          }
        } else if (e.isFile()) {
          if (name.equals(Manifest.FILE)) {
            manifest = tar.readAllBytes();
            if (dir != null) {
              try (FileChannel file = create(dest)) {
                write(file, dest, ByteBuffer.wrap(manifest));
              }
            }
            continue;
          }
          MessageDigest md = sha256();
          if (dir != null) {
            try (FileChannel file = create(dest)) {
              if (arrivals != null) {
                arrivals.started(dest);
              }
              copyHashing(
                  tar, md, file, dest, buf, arrivals == null ? null : t -> arrivals.wrote(dest, t));
            }
            if (arrivals != null) {
              arrivals.ended(dest);
            }
            if ((e.getMode() & 0100) != 0) {
              dest.toFile().setExecutable(true);
            }
          } else {
            copyHashing(tar, md, null, null, buf, null);
          }
          sums.put(name, HexFormat.of().formatHex(md.digest()));
        } else {
          throw new BackupException(
              source + ": entry '" + e.getName() + "' is not a file or folder");
        }
      }
      if (!any) {
        throw new BackupException(source + ": the archive is empty");
      }
      // Reading to the end makes the compressor check its trailer (gzip's CRC, zstd's checksum).
      z.transferTo(OutputStream.nullOutputStream());
    }
    return new Contents(sums, manifest);
  }

  /**
   * Copies the current entry of {@code tar} into {@code file} (unless null), at {@code path},
   * hashing it on the way, a full buffer at a time: a few large writes, and no copy between the
   * hash and the file. Tells {@code written} (unless null) the bytes in the file so far after each
   * write.
   */
  private static void copyHashing(
      InputStream tar,
      MessageDigest md,
      FileChannel file,
      Path path,
      byte[] buf,
      java.util.function.LongConsumer written)
      throws IOException {
    long total = 0;
    int n;
    while ((n = tar.readNBytes(buf, 0, buf.length)) > 0) {
      md.update(buf, 0, n);
      if (file != null) {
        write(file, path, ByteBuffer.wrap(buf, 0, n));
      }
      total += n;
      if (written != null) {
        written.accept(total);
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  private static InputStream decompressor(InputStream in, String source)
      throws IOException, BackupException {
    in.mark(TAR_MAGIC_END);
    byte[] magic = in.readNBytes(TAR_MAGIC_END);
    in.reset();
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return new GzipCompressorInputStream(in);
    }
    if (magic.length >= 4
        && (magic[0] & 0xff) == 0x28
        && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f
        && (magic[3] & 0xff) == 0xfd) {
      return new ZstdInputStream(in);
    }
    if (magic.length == TAR_MAGIC_END
        && new String(magic, TAR_MAGIC_END - 5, 5, StandardCharsets.US_ASCII).equals("ustar")) {
      return in;
    }
    throw new BackupException(
        source + ": not a backup archive (neither gzip nor zstd); give a .tar.gz or .tar.zst");
  }

  /** Where a tar header's magic {@code ustar} ends. */
  private static final int TAR_MAGIC_END = 262;

  /** Lets the tar and compressor streams finish without closing the stream under them. */
  private static final class Unclosed extends java.io.FilterOutputStream {
    Unclosed(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}

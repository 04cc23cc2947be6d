package org.silverlining.node.backup;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipEncoding;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

/**
 * A folder as a POSIX tar, listed once and written with large writes, whose length is known before
 * a byte of it is written (so that a plain tar can be sent with a {@code Content-Length}).
 *
 * <p>Entries come in path order with time stamps 0, owner 0 and modes 0755 (folders and executable
 * files) or 0644, so the same folder always gives the same bytes. Headers are formatted by Commons
 * Compress, as its tar writer does; a name that is not ASCII or does not fit the header's 100
 * bytes, and a size past the header's 8 GiB, go in a PAX extended header before the entry. File
 * contents are copied in large blocks rather than through the library's 512-byte records, which
 * cost a call per record.
 */
public final class FolderTar {
  private static final int BLOCK = TarConstants.DEFAULT_RCDSIZE;
  private static final int COPY_BUFFER = 1 << 20;
  private static final long MAX_HEADER_SIZE = 077777777777L;
  private static final FileTime EPOCH = FileTime.fromMillis(0);
  private static final ZipEncoding UTF_8 = ZipEncodingHelper.getZipEncoding(StandardCharsets.UTF_8);

  /** One entry: the header block(s) before it, and for a file, where its bytes are and how many. */
  private record Entry(byte[] headers, Path file, long size) {
    long length() {
      return headers.length + padded(size);
    }
  }

  private final List<Entry> entries;
  private final long length;

  private FolderTar(List<Entry> entries) {
    this.entries = entries;
    long n = 2L * BLOCK; // the two empty blocks that end a tar
    for (Entry e : entries) {
      n += e.length();
    }
    this.length = n;
  }

  /** Lists {@code dir} (every file's size is taken now, and must not change until written). */
  public static FolderTar of(Path dir) throws IOException {
    List<Path> all;
    try (Stream<Path> s = Files.walk(dir)) {
      all = s.filter(p -> !p.equals(dir)).sorted(BackupArchive.ORDER).toList();
    }
    List<Entry> entries = new ArrayList<>(all.size());
    for (Path p : all) {
      boolean folder = Files.isDirectory(p);
      String name = Manifest.relative(dir, p) + (folder ? "/" : "");
      long size = folder ? 0 : Files.size(p);
      int mode = folder || Files.isExecutable(p) ? 0755 : 0644;
      entries.add(new Entry(headers(name, mode, size), folder ? null : p, size));
    }
    return new FolderTar(entries);
  }

  /** How many bytes {@link #writeTo} writes: the plain tar's length. */
  public long length() {
    return length;
  }

  /**
   * Writes the tar to {@code out}, without closing it. Fails when a file is no longer as long as
   * when it was listed.
   */
  public void writeTo(OutputStream out) throws IOException {
    byte[] buf = new byte[COPY_BUFFER];
    for (Entry e : entries) {
      out.write(e.headers());
      if (e.file() != null) {
        copy(e.file(), e.size(), buf, out);
        int pad = (int) (padded(e.size()) - e.size());
        if (pad > 0) {
          out.write(new byte[pad]);
        }
      }
    }
    out.write(new byte[2 * BLOCK]);
  }

  private static void copy(Path file, long size, byte[] buf, OutputStream out) throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(buf);
    try (FileChannel ch = FileChannel.open(file)) {
      if (ch.size() != size) {
        throw new IOException(file + " changed while it was being packed");
      }
      long left = size;
      while (left > 0) {
        bb.clear().limit((int) Math.min(buf.length, left));
        int n = ch.read(bb);
        if (n < 0) {
          throw new IOException(file + " changed while it was being packed");
        }
        out.write(buf, 0, n);
        left -= n;
      }
    }
  }

  /**
   * The header block of {@code name}, after a PAX extended header when the name or size needs it.
   */
  private static byte[] headers(String name, int mode, long size) throws IOException {
    StringBuilder pax = new StringBuilder();
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    if (utf8.length >= TarConstants.NAMELEN || utf8.length != name.length()) {
      pax.append(paxRecord("path", name));
    }
    if (size > MAX_HEADER_SIZE) {
      pax.append(paxRecord("size", Long.toString(size)));
    }
    // With a PAX path, the header's own name is only a stand-in: ASCII, which any reader decodes.
    String ascii = name.replaceAll("[^\\x20-\\x7e]", "_");
    TarArchiveEntry e =
        entry(
            pax.isEmpty() ? name : ascii,
            name.endsWith("/") ? TarConstants.LF_DIR : TarConstants.LF_NORMAL);
    e.setMode(mode);
    e.setSize(size);
    byte[] header = format(e);
    if (pax.isEmpty()) {
      return header;
    }
    byte[] records = pax.toString().getBytes(StandardCharsets.UTF_8);
    String paxName = "./PaxHeaders.X/" + ascii;
    TarArchiveEntry x =
        entry(
            paxName.substring(0, Math.min(paxName.length(), TarConstants.NAMELEN - 1)),
            TarConstants.LF_PAX_EXTENDED_HEADER_LC);
    x.setSize(records.length);
    byte[] all = new byte[BLOCK + (int) padded(records.length) + BLOCK];
    System.arraycopy(format(x), 0, all, 0, BLOCK);
    System.arraycopy(records, 0, all, BLOCK, records.length);
    System.arraycopy(header, 0, all, all.length - BLOCK, BLOCK);
    return all;
  }

  private static TarArchiveEntry entry(String name, byte type) {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    e.setModTime(EPOCH);
    e.setIds(0, 0);
    e.setNames("", "");
    return e;
  }

  private static byte[] format(TarArchiveEntry e) throws IOException {
    byte[] block = new byte[BLOCK];
    // not "star" mode: a number too large for its field is written as 0, its PAX record counts
    e.writeEntryHeader(block, UTF_8, false);
    return block;
  }

  /** A PAX record, {@code "LEN key=value\n"}, where LEN counts the whole record in bytes. */
  static String paxRecord(String key, String value) {
    int rest = key.length() + value.getBytes(StandardCharsets.UTF_8).length + 3;
    int len = rest + Integer.toString(rest).length();
    if (Integer.toString(len).length() != Integer.toString(rest).length()) {
      len = rest + Integer.toString(len).length();
    }
    return len + " " + key + "=" + value + "\n";
  }

  private static long padded(long size) {
    return (size + BLOCK - 1) / BLOCK * BLOCK;
  }
}

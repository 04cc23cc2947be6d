package org.silverlining.node.backup;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.backupformat.HashedFiles;

/**
 * A backup folder as a stream of frames, sent while the backup is being written: the node to a CLI
 * on the same machine. A table's data file goes out in chunks as its rows are written, so no size
 * is needed up front; the other files, every folder and the manifest follow once the backup is
 * written, the manifest last. An error on the node ends the stream with its message. What is
 * received is checked against the manifest like an archive ({@link Backup#verify(
 * BackupArchive.Contents, String)}); the stream has no checksum of its own.
 *
 * <p>Frames: the magic line, then {@code 'D' path} (a folder), {@code 'F' path executable} followed
 * by chunks ({@code int length, bytes}) ended by a chunk of length 0, {@code 'E' message} (the
 * backup failed), {@code 'Z'} (the end). Paths are relative, with {@code /}.
 */
public final class BackupStream {
  public static final String MEDIA_TYPE = "application/x-silver-backup-stream";
  private static final byte[] MAGIC =
      "silver-backup-stream 1\n".getBytes(StandardCharsets.US_ASCII);
  private static final int CHUNK = 1 << 16;

  private BackupStream() {}

  /** Writes frames to a stream; the files {@link HashedFiles} sees are sent as they are written. */
  public static final class Writer implements HashedFiles.Live {
    private final DataOutputStream out;
    private final Path root;
    private final Set<Path> sent = new HashSet<>();
    private boolean fileOpen;

    /** Frames onto {@code out} for the backup folder {@code root} (which may not exist yet). */
    public Writer(OutputStream out, Path root) throws IOException {
      this.out = new DataOutputStream(out);
      this.root = root.toAbsolutePath().normalize();
      this.out.write(MAGIC);
    }

    @Override
    public boolean start(Path file) throws IOException {
      Path f = file.toAbsolutePath().normalize();
      if (fileOpen || !f.startsWith(root)) {
        return false; // sent from disk at the end
      }
      fileOpen = true;
      out.writeByte('F');
      out.writeUTF(Manifest.relative(root, f));
      out.writeBoolean(false);
      return true;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > 0) {
        out.writeInt(len);
        out.write(b, off, len);
      }
    }

    @Override
    public void end(Path file) throws IOException {
      out.writeInt(0);
      fileOpen = false;
      sent.add(file.toAbsolutePath().normalize());
    }

    /**
     * Sends what was not sent while it was written: every folder, every other file, the manifest
     * last; then the end.
     */
    public void finish() throws IOException {
      List<Path> all;
      try (Stream<Path> s = Files.walk(root)) {
        all = s.filter(p -> !p.equals(root)).sorted().toList();
      }
      Path manifest = root.resolve(Manifest.FILE);
      byte[] buf = new byte[CHUNK];
      for (Path p : all) {
        if (Files.isDirectory(p)) {
          out.writeByte('D');
          out.writeUTF(Manifest.relative(root, p));
        } else if (!p.equals(manifest) && !sent.contains(p)) {
          sendFile(p, buf);
        }
      }
      sendFile(manifest, buf);
      out.writeByte('Z');
      out.flush();
    }

    private void sendFile(Path p, byte[] buf) throws IOException {
      out.writeByte('F');
      out.writeUTF(Manifest.relative(root, p));
      out.writeBoolean(Files.isExecutable(p));
      try (InputStream in = Files.newInputStream(p)) {
        int n;
        while ((n = in.read(buf)) > 0) {
          write(buf, 0, n);
        }
      }
      out.writeInt(0);
    }

    /** Ends the stream with the reason the backup failed. */
    public void fail(String message) throws IOException {
      out.writeByte('E');
      out.writeUTF(message.length() > 16_000 ? message.substring(0, 16_000) : message);
      out.flush();
    }
  }

  /**
   * Reads a stream into the folder {@code dir}, hashing every file as it is written; {@code source}
   * names it in messages. Fails on a cut or damaged stream, on the node's error, and on any path
   * that would land outside {@code dir}.
   */
  public static BackupArchive.Contents read(InputStream in, Path dir, String source)
      throws IOException, BackupException {
    Path root = Files.createDirectories(dir).toAbsolutePath().normalize();
    DataInputStream data = new DataInputStream(in);
    SortedMap<String, String> sums = new TreeMap<>();
    byte[] manifest = null;
    byte[] buf = new byte[CHUNK];
    try {
      if (!Arrays.equals(data.readNBytes(MAGIC.length), MAGIC)) {
        throw new BackupException(source + ": not a backup stream");
      }
      while (true) {
        int type = data.readUnsignedByte();
        if (type == 'Z') {
          break;
        }
        if (type == 'E') {
          throw new BackupException("the backup failed on the node: " + data.readUTF());
        }
        if (type != 'D' && type != 'F') {
          throw new BackupException(source + ": damaged stream (frame " + type + ")");
        }
        String name = data.readUTF();
        Path dest = root.resolve(name).normalize();
        if (!dest.startsWith(root) || dest.equals(root)) {
          throw new BackupException(source + ": entry '" + name + "' is outside the backup");
        }
        if (type == 'D') {
          Files.createDirectories(dest);
          continue;
        }
        boolean executable = data.readBoolean();
        Files.createDirectories(dest.getParent());
        MessageDigest md = HashedFiles.sha256();
        try (OutputStream out =
            new DigestOutputStream(
                new BufferedOutputStream(Files.newOutputStream(dest), CHUNK), md)) {
          int len;
          while ((len = data.readInt()) != 0) {
            if (len < 0) {
              throw new BackupException(source + ": damaged stream (chunk of " + len + ")");
            }
            while (len > 0) {
              int n = Math.min(len, buf.length);
              data.readFully(buf, 0, n);
              out.write(buf, 0, n);
              len -= n;
            }
          }
        }
        if (executable) {
          dest.toFile().setExecutable(true);
        }
        if (name.equals(Manifest.FILE)) {
          manifest = Files.readAllBytes(dest);
        } else {
          sums.put(name, HexFormat.of().formatHex(md.digest()));
        }
      }
    } catch (EOFException e) {
      throw new BackupException(source + ": the stream was cut before its end", e);
    }
    return new BackupArchive.Contents(sums, manifest);
  }
}

package org.silverlining.node.backupformat;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The sha256 of the files a backup writes, taken as their bytes go out, so that the manifest does
 * not read them again. {@code Backup.write} records on its thread while the services write; a file
 * written on another thread, or by another program, is read again as before.
 */
public final class HashedFiles implements AutoCloseable {
  private static final ThreadLocal<HashedFiles> RECORDING = new ThreadLocal<>();

  /** A file's size and sha256 when it was closed. */
  public record Sum(long size, String sha256) {}

  /** Where the files also go, byte for byte, as they are written (a backup stream). */
  public interface Live {
    /** A file starts; false when it is not to be sent now (it is sent later from disk). */
    boolean start(Path file) throws IOException;

    void write(byte[] b, int off, int len) throws IOException;

    void end(Path file) throws IOException;
  }

  private final Map<Path, Sum> sums = new HashMap<>();
  private final Live live;

  private HashedFiles(Live live) {
    this.live = live;
  }

  /** Records the files this thread writes through {@link #create} until closed. */
  public static HashedFiles record() {
    return record(null);
  }

  /** As {@link #record()}, handing the files' bytes to {@code live} (if not null) too. */
  public static HashedFiles record(Live live) {
    HashedFiles h = new HashedFiles(live);
    RECORDING.set(h);
    return h;
  }

  /** The sha256 of {@code file} if it was recorded and still has the size it was written with. */
  public String sha256(Path file, long size) {
    Sum s = sums.get(file.toAbsolutePath().normalize());
    return s != null && s.size() == size ? s.sha256() : null;
  }

  @Override
  public void close() {
    RECORDING.remove();
  }

  /** A new buffered file, hashed as it is written when this thread records. */
  public static OutputStream create(Path file, int bufferBytes) throws IOException {
    OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), bufferBytes);
    HashedFiles h = RECORDING.get();
    if (h == null) {
      return out;
    }
    Path f = file.toAbsolutePath().normalize();
    return h.new Hashing(out, f, h.live != null && h.live.start(f) ? h.live : null);
  }

  private final class Hashing extends FilterOutputStream {
    private final MessageDigest md = sha256();
    private final Path file;
    private final Live live;
    private long size;

    Hashing(OutputStream out, Path file, Live live) {
      super(out);
      this.file = file;
      this.live = live;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      md.update(b, off, len);
      size += len;
      if (live != null) {
        live.write(b, off, len);
      }
    }

    private boolean closed;

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      super.close();
      sums.put(file, new Sum(size, HexFormat.of().formatHex(md.digest())));
      if (live != null) {
        live.end(file);
      }
    }
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}

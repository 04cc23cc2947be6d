package org.silverlining.node.config;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;
import org.silverlining.core.AppArchive;
import org.silverlining.node.layout.Trees;

/**
 * Configuration folders uploaded (as a gzipped tar, like an app) and waiting for the deployment or
 * configuration change that names them by id. Each is unpacked under {@code ROOT/uploads/} and
 * removed when used; the node removes leftovers at start.
 */
public final class ConfigUploads {
  /** The largest compressed upload accepted. */
  public static final long MAX_UPLOAD_BYTES = 2 * ConfigRevisions.MAX_BYTES;

  private static final String PREFIX = "config-";
  private static final Pattern ID = Pattern.compile("[0-9a-f-]{36}");
  private final Path dir;

  public ConfigUploads(Path uploadsDir) {
    this.dir = uploadsDir;
  }

  /** Unpacks the upload read from {@code body}; returns its id. */
  public String receive(InputStream body) throws IOException, ConfigRejectedException {
    String id = UUID.randomUUID().toString();
    Path target = dir.resolve(PREFIX + id);
    Files.createDirectories(dir);
    try (InputStream in = new Bounded(body, MAX_UPLOAD_BYTES)) {
      AppArchive.unpack(in, target);
    } catch (Bounded.TooLarge e) {
      Trees.delete(target);
      throw new ConfigRejectedException(
          "the configuration upload is larger than " + (MAX_UPLOAD_BYTES >> 20) + " MiB");
    } catch (IOException | RuntimeException e) {
      Trees.delete(target);
      throw e;
    }
    return id;
  }

  /** The folder of upload {@code id}. */
  public Path folder(String id) throws ConfigRejectedException {
    Path p = ID.matcher(id).matches() ? dir.resolve(PREFIX + id) : null;
    if (p == null || !Files.isDirectory(p)) {
      throw new ConfigRejectedException("no configuration upload " + id + "; upload it again");
    }
    return p;
  }

  /** Removes upload {@code id}. */
  public void discard(String id) throws IOException {
    if (ID.matcher(id).matches()) {
      Trees.delete(dir.resolve(PREFIX + id));
    }
  }

  /** Removes every upload (at start: none can be waiting for a request any more). */
  public void clear() throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var s = Files.list(dir)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
        Trees.delete(p);
      }
    }
  }

  private static final class Bounded extends FilterInputStream {
    static final class TooLarge extends IOException {
      private static final long serialVersionUID = 1L;

      TooLarge() {
        super("too large");
      }
    }

    private final long max;
    private long read;

    Bounded(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count(b < 0 ? 0 : 1);
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      count(Math.max(n, 0));
      return n;
    }

    private void count(int n) throws TooLarge {
      read += n;
      if (read > max) {
        throw new TooLarge();
      }
    }
  }
}

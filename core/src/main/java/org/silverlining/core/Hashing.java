package org.silverlining.core;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests of files, strings and streams as they pass. */
public final class Hashing {
  private Hashing() {}

  /** A running SHA-256 that can sit in an output stream. */
  public static final class Digest {
    private final MessageDigest md;

    private Digest(MessageDigest md) {
      this.md = md;
    }

    /** An output stream writing to {@code out} and hashing what passes. */
    public OutputStream tee(OutputStream out) {
      return new FilterOutputStream(out) {
        @Override
        public void write(int b) throws IOException {
          md.update((byte) b);
          out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          md.update(b, off, len);
          out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          flush();
          // leave the wrapped stream open: the caller owns it
        }
      };
    }

    public void update(byte[] b, int off, int len) {
      md.update(b, off, len);
    }

    public String hex() {
      return HexFormat.of().formatHex(md.digest());
    }
  }

  public static Digest sha256() {
    try {
      return new Digest(MessageDigest.getInstance("SHA-256"));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  public static String sha256(String text) {
    Digest d = sha256();
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    d.update(b, 0, b.length);
    return d.hex();
  }

  public static String sha256(Path file) throws IOException {
    Digest d = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[65536];
      int n;
      while ((n = in.read(buf)) > 0) {
        d.update(buf, 0, n);
      }
    }
    return d.hex();
  }
}

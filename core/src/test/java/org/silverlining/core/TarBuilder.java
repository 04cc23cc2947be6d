package org.silverlining.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A gzipped tar written entry by entry, exactly as given: names are not cleaned, so tests can build
 * the hostile archives {@link AppArchive#unpack} must refuse.
 */
final class TarBuilder {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;

  TarBuilder() {
    try {
      tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
  }

  TarBuilder file(String name, String content) {
    return file(name, content, 0644);
  }

  TarBuilder file(String name, String content, int mode) {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_NORMAL, true);
    e.setMode(mode);
    e.setSize(data.length);
    return put(e, data);
  }

  TarBuilder folder(String name) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_DIR, true);
    e.setMode(0755);
    return put(e, new byte[0]);
  }

  TarBuilder symlink(String name, String target) {
    return link(name, target, TarArchiveEntry.LF_SYMLINK);
  }

  TarBuilder hardLink(String name, String target) {
    return link(name, target, TarArchiveEntry.LF_LINK);
  }

  /** An entry of a kind with no content, such as a device ({@code LF_CHR}) or a FIFO. */
  TarBuilder special(String name, byte linkFlag) {
    TarArchiveEntry e = new TarArchiveEntry(name, linkFlag, true);
    e.setDevMajor(1);
    e.setDevMinor(3);
    return put(e, new byte[0]);
  }

  private TarBuilder link(String name, String target, byte linkFlag) {
    TarArchiveEntry e = new TarArchiveEntry(name, linkFlag, true);
    e.setLinkName(target);
    return put(e, new byte[0]);
  }

  private TarBuilder put(TarArchiveEntry e, byte[] data) {
    try {
      tar.putArchiveEntry(e);
      tar.write(data);
      tar.closeArchiveEntry();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return this;
  }

  /** Finishes the archive and returns it as a stream, ready for {@link AppArchive#unpack}. */
  InputStream stream() {
    try {
      tar.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ByteArrayInputStream(bytes.toByteArray());
  }
}

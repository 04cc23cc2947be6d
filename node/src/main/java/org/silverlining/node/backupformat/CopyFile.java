package org.silverlining.node.backupformat;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A PostgreSQL table's data file: PostgreSQL's own COPY text format ({@link CopyText}). The first
 * line names the columns, as {@code COPY ... (HEADER)} writes them; every other line is one row,
 * byte for byte as {@code COPY ... TO STDOUT} sends it. Neither way converts a row: a backup writes
 * the server's bytes, a restore sends the bytes after the first line back to {@code COPY ... FROM
 * STDIN}, and the server does the only parsing.
 */
final class CopyFile {
  static final String EXTENSION = ".tsv";

  private CopyFile() {}

  /** The file name for a table: see {@link RowFile#baseName}. */
  static String fileName(String schema, String table) {
    return RowFile.baseName(schema, table) + EXTENSION;
  }

  /** Writes the header line, then rows as COPY sends them, through a buffer of its own. */
  static final class Writer implements Closeable {
    private final OutputStream out;
    private final byte[] buf = new byte[RowFile.BUFFER_BYTES];
    private int pos;

    Writer(Path file, List<String> columns) throws IOException {
      out = HashedFiles.create(file, RowFile.BUFFER_BYTES);
      StringBuilder header = new StringBuilder();
      for (int i = 0; i < columns.size(); i++) {
        CopyText.append(header.append(i == 0 ? "" : "\t"), columns.get(i));
      }
      row(header.append('\n').toString().getBytes(StandardCharsets.UTF_8));
    }

    /** One row as COPY sent it, with its newline. */
    void row(byte[] row) throws IOException {
      if (row.length > buf.length - pos) {
        drain();
        if (row.length > buf.length) {
          out.write(row);
          return;
        }
      }
      System.arraycopy(row, 0, buf, pos, row.length);
      pos += row.length;
    }

    private void drain() throws IOException {
      out.write(buf, 0, pos);
      pos = 0;
    }

    @Override
    public void close() throws IOException {
      try (out) {
        drain();
      }
    }
  }

  /**
   * Reads the header line of {@code in}, leaving it at the first row; {@code file} names it in the
   * message when there is none. An empty line names no column.
   */
  static List<String> readHeader(InputStream in, Path file) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException(file + ": no header line (the column names)");
      }
      line.write(b);
    }
    if (line.size() == 0) {
      return List.of();
    }
    List<String> columns = CopyText.parse(line.toByteArray());
    if (columns.contains(null)) {
      throw new IOException(file + ": the header line has a \\N where a column name should be");
    }
    return columns;
  }
}

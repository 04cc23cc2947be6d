package org.silverlining.node.backup;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A table's data file: JSON lines. The first line is {@code {"columns":[...]}}, every other line is
 * one row as a JSON array, one value per column. Both sides stream: a writer keeps no row after
 * writing it, a reader holds one row at a time.
 */
final class RowFile {
  static final String EXTENSION = ".jsonl";
  static final int BUFFER_BYTES = 1 << 16;
  private static final JsonFactory JSON = new JsonFactory();

  private RowFile() {}

  /** Writes rows of strings and nulls; other value kinds through {@link #generator()}. */
  static final class Writer implements Closeable {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private final JsonGenerator g;
    private final OutputStream out;
    private boolean raw;
    private final byte[] buf = new byte[BUFFER_BYTES];
    private int pos;

    Writer(Path file, List<String> columns) throws IOException {
      this(HashedFiles.create(file, BUFFER_BYTES), columns);
    }

    /** A writer onto {@code out}, which it closes. */
    Writer(OutputStream out, List<String> columns) throws IOException {
      this.out = out;
      g = JSON.createGenerator(out, JsonEncoding.UTF8);
      g.setRootValueSeparator(null); // lines are separated by '\n' alone
      g.writeStartObject();
      g.writeArrayFieldStart("columns");
      for (String c : columns) {
        g.writeString(c);
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeRaw('\n');
    }

    JsonGenerator generator() {
      return g;
    }

    void startRow() throws IOException {
      g.writeStartArray();
    }

    void endRow() throws IOException {
      g.writeEndArray();
      g.writeRaw('\n');
    }

    /** A value as a JSON string, or {@code null}. */
    void value(String v) throws IOException {
      if (v == null) {
        g.writeNull();
      } else {
        g.writeString(v);
      }
    }

    /**
     * One row given as a PostgreSQL COPY text row (see {@link CopyText}), written straight from its
     * bytes: the same line {@link #value} would write for its parsed fields, without making strings
     * of them. Rows written this way may not be mixed with the generator's.
     */
    void copyRow(byte[] row) throws IOException {
      if (!raw) {
        g.flush(); // the header; from here on rows go to the stream directly
        raw = true;
      }
      int end = row.length;
      if (end > 0 && row[end - 1] == '\n') {
        end--;
      }
      put('[');
      int start = 0;
      for (int i = 0; i <= end; i++) {
        if (i == end || row[i] == '\t') {
          if (start > 0) {
            put(',');
          }
          field(row, start, i);
          start = i + 1;
        } else if (row[i] == '\\' && i + 1 < end) {
          i++; // an escaped byte is never a separator
        }
      }
      put(']');
      put('\n');
    }

    /** One field, bytes [from, to) of a COPY row, as JSON: {@code \\N} is null. */
    private void field(byte[] row, int from, int to) throws IOException {
      if (to - from == 2 && row[from] == '\\' && row[from + 1] == 'N') {
        put(NULL);
        return;
      }
      put('"');
      for (int i = from; i < to; i++) {
        int run = i;
        while (run < to && plain(row[run])) {
          run++;
        }
        if (run > i) {
          put(row, i, run);
          i = run - 1;
          continue;
        }
        int b = row[i];
        if (b == '\\' && i + 1 < to) {
          b =
              switch (row[++i]) {
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 'b' -> '\b';
                case 'f' -> '\f';
                case 'v' -> 0x0b;
                default -> row[i];
              };
        } else if ((b & 0xf8) == 0xf0 && i + 3 < to) {
          // Jackson writes a character beyond the BMP as two escaped UTF-16 surrogates
          int cp =
              ((b & 0x07) << 18)
                  | ((row[i + 1] & 0x3f) << 12)
                  | ((row[i + 2] & 0x3f) << 6)
                  | (row[i + 3] & 0x3f);
          i += 3;
          unicodeEscape(Character.highSurrogate(cp));
          unicodeEscape(Character.lowSurrogate(cp));
          continue;
        }
        escaped(b);
      }
      put('"');
    }

    /** A byte that goes into a JSON string as it is: no escape, no character beyond the BMP. */
    private static boolean plain(byte b) {
      return (b < 0 || b >= 0x20) && b != '"' && b != '\\' && (b & 0xf8) != 0xf0;
    }

    /** One byte of a string as Jackson writes it: quotes, backslashes and controls escaped. */
    private void escaped(int b) throws IOException {
      if (b == '"' || b == '\\') {
        put('\\');
        put(b);
      } else if (b >= 0 && b < 0x20) {
        put('\\');
        switch (b) {
          case '\b' -> put('b');
          case '\t' -> put('t');
          case '\n' -> put('n');
          case '\f' -> put('f');
          case '\r' -> put('r');
          default -> {
            put('u');
            put('0');
            put('0');
            put(HEX[b >> 4]);
            put(HEX[b & 0xf]);
          }
        }
      } else {
        put(b);
      }
    }

    private void unicodeEscape(char c) throws IOException {
      put('\\');
      put('u');
      put(HEX[(c >> 12) & 0xf]);
      put(HEX[(c >> 8) & 0xf]);
      put(HEX[(c >> 4) & 0xf]);
      put(HEX[c & 0xf]);
    }

    /** One byte into the row buffer (a plain array: the stream's own write is synchronized). */
    private void put(int b) throws IOException {
      if (pos == buf.length) {
        drain();
      }
      buf[pos++] = (byte) b;
    }

    /** Bytes [from, to) of {@code bytes} into the row buffer. */
    private void put(byte[] bytes, int from, int to) throws IOException {
      while (from < to) {
        if (pos == buf.length) {
          drain();
        }
        int n = Math.min(to - from, buf.length - pos);
        System.arraycopy(bytes, from, buf, pos, n);
        pos += n;
        from += n;
      }
    }

    private void put(byte[] bytes) throws IOException {
      for (byte b : bytes) {
        put(b);
      }
    }

    private void drain() throws IOException {
      out.write(buf, 0, pos);
      pos = 0;
    }

    @Override
    public void close() throws IOException {
      if (pos > 0) {
        drain();
      }
      g.close();
    }
  }

  private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

  /** Reads the header, then rows one by one as parser positions. */
  static final class Reader implements Closeable {
    private final JsonParser p;
    private final List<String> columns = new ArrayList<>();

    Reader(Path file) throws IOException {
      InputStream in = Files.newInputStream(file);
      p = JSON.createParser(in);
      if (p.nextToken() != JsonToken.START_OBJECT
          || p.nextToken() != JsonToken.FIELD_NAME
          || !"columns".equals(p.currentName())
          || p.nextToken() != JsonToken.START_ARRAY) {
        throw new IOException(file + ": the first line is not {\"columns\":[...]}");
      }
      while (p.nextToken() == JsonToken.VALUE_STRING) {
        columns.add(p.getText());
      }
      p.nextToken();
    }

    List<String> columns() {
      return columns;
    }

    JsonParser parser() {
      return p;
    }

    /** Moves to the next row's opening bracket; false at the end of the file. */
    boolean nextRow() throws IOException {
      JsonToken t = p.nextToken();
      if (t == null) {
        return false;
      }
      if (t != JsonToken.START_ARRAY) {
        throw new IOException("a row is not a JSON array at " + p.currentLocation());
      }
      return true;
    }

    /** The row's values as strings (null for JSON null), for files whose values are all strings. */
    List<String> stringRow() throws IOException {
      List<String> row = new ArrayList<>(columns.size());
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == JsonToken.VALUE_NULL) {
          row.add(null);
        } else if (t == JsonToken.VALUE_STRING) {
          row.add(p.getText());
        } else {
          throw new IOException("a value is not a string or null at " + p.currentLocation());
        }
      }
      if (row.size() != columns.size()) {
        throw new IOException(
            "a row has "
                + row.size()
                + " values for "
                + columns.size()
                + " columns at "
                + p.currentLocation());
      }
      return row;
    }

    @Override
    public void close() throws IOException {
      p.close();
    }
  }

  /**
   * A file name for a table: letters, digits, {@code _} and {@code -} as they are, every other byte
   * of the UTF-8 name as {@code %XX}, so that any table name gives one safe, distinct name.
   */
  static String fileName(String... parts) {
    StringBuilder b = new StringBuilder();
    for (String part : parts) {
      if (b.length() > 0) {
        b.append('.');
      }
      for (byte x : part.getBytes(StandardCharsets.UTF_8)) {
        char c = (char) (x & 0xff);
        if ((c >= 'a' && c <= 'z')
            || (c >= 'A' && c <= 'Z')
            || (c >= '0' && c <= '9')
            || c == '_'
            || c == '-') {
          b.append(c);
        } else {
          b.append('%').append(String.format("%02X", x & 0xff));
        }
      }
    }
    return b.append(EXTENSION).toString();
  }

  /** The inverse of {@link #fileName} for one part. */
  static String decode(String part) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == '%' && i + 2 < part.length()) {
        b.write(Integer.parseInt(part.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.UTF_8);
  }
}

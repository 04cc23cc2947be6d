package org.silverlining.node.backupformat;

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
public final class RowFile {
  public static final String EXTENSION = ".jsonl";
  public static final int BUFFER_BYTES = 1 << 16;
  private static final JsonFactory JSON = new JsonFactory();

  private RowFile() {}

  /** Writes rows of strings and nulls; other value kinds through {@link #generator()}. */
  public static final class Writer implements Closeable {
    private final JsonGenerator g;

    public Writer(Path file, List<String> columns) throws IOException {
      this(HashedFiles.create(file, BUFFER_BYTES), columns);
    }

    /** A writer onto {@code out}, which it closes. */
    Writer(OutputStream out, List<String> columns) throws IOException {
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

    public void startRow() throws IOException {
      g.writeStartArray();
    }

    public void endRow() throws IOException {
      g.writeEndArray();
      g.writeRaw('\n');
    }

    /** A value as a JSON string, or {@code null}. */
    public void value(String v) throws IOException {
      if (v == null) {
        g.writeNull();
      } else {
        g.writeString(v);
      }
    }

    @Override
    public void close() throws IOException {
      g.close();
    }
  }

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

  /** The row file's name for a table: {@link #baseName} and {@link #EXTENSION}. */
  static String fileName(String... parts) {
    return baseName(parts) + EXTENSION;
  }

  /**
   * A file name for a table, without extension: the parts joined by {@code .}; letters, digits,
   * {@code _} and {@code -} as they are, every other byte of the UTF-8 name as {@code %XX}, so that
   * any table name gives one safe, distinct name.
   */
  static String baseName(String... parts) {
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
    return b.toString();
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

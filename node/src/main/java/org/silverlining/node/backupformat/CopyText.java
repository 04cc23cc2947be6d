package org.silverlining.node.backupformat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's COPY text format, both ways: a row is fields separated by tabs and ended by a
 * newline; {@code \N} is NULL; a backslash escapes tab, newline, carriage return, backslash and a
 * few more. Values inside are the types' own text forms, exactly what {@code value::text} gives.
 */
public final class CopyText {
  private CopyText() {}

  /** The fields of one COPY row (with or without its final newline); NULL as {@code null}. */
  public static List<String> parse(byte[] row) {
    List<String> fields = new ArrayList<>();
    ByteArrayOutputStream field = new ByteArrayOutputStream();
    boolean isNull = false;
    int end = row.length;
    if (end > 0 && row[end - 1] == '\n') {
      end--;
    }
    for (int i = 0; i < end; i++) {
      byte b = row[i];
      if (b == '\t') {
        fields.add(isNull ? null : field.toString(StandardCharsets.UTF_8));
        field.reset();
        isNull = false;
      } else if (b == '\\' && i + 1 < end) {
        byte e = row[++i];
        switch (e) {
          case 'N' -> isNull = true;
          case 't' -> field.write('\t');
          case 'n' -> field.write('\n');
          case 'r' -> field.write('\r');
          case 'b' -> field.write('\b');
          case 'f' -> field.write('\f');
          case 'v' -> field.write(0x0b);
          default -> field.write(e);
        }
      } else {
        field.write(b);
      }
    }
    fields.add(isNull ? null : field.toString(StandardCharsets.UTF_8));
    return fields;
  }

  /** Appends one field in COPY text form: NULL as {@code \N}, special characters escaped. */
  static void append(StringBuilder out, String value) {
    if (value == null) {
      out.append("\\N");
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(c);
      }
    }
  }
}

package org.silverlining.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON text (RFC 8259) into maps, lists, strings, numbers, booleans and null, with no
 * dependency: the app API's one JSON reader (the key ring file, the tasks API's answers). Integers
 * that fit are {@code Long}, other numbers {@code Double}. Strict: control characters in strings,
 * unknown or malformed escapes, leading zeros, trailing commas, duplicate keys and nesting deeper
 * than {@link #MAX_DEPTH} are errors. Errors give the line and column, never the text (it may be
 * secret).
 */
final class JsonReader {
  /** Deeper nesting is refused rather than overflowing the stack. */
  static final int MAX_DEPTH = 64;

  private final String s;
  private int i;
  private int depth;

  private JsonReader(String s) {
    this.s = s;
  }

  /**
   * The value {@code text} holds.
   *
   * @throws IllegalArgumentException when it is not one JSON value; the message gives the place
   */
  static Object read(String text) {
    JsonReader r = new JsonReader(text);
    Object v = r.value();
    r.space();
    if (r.i != r.s.length()) {
      throw r.error("unexpected text after the value");
    }
    return v;
  }

  /** The top-level object of {@code text}; an error if it is another kind of value. */
  static Map<String, Object> object(String text) {
    if (read(text) instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = (Map<String, Object>) m;
      return fields;
    }
    throw new IllegalArgumentException("not a JSON object");
  }

  private Object value() {
    space();
    if (i >= s.length()) {
      throw error("unexpected end");
    }
    char c = s.charAt(i);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> word("true", Boolean.TRUE);
      case 'f' -> word("false", Boolean.FALSE);
      case 'n' -> word("null", null);
      default -> number();
    };
  }

  private Map<String, Object> object() {
    enter();
    Map<String, Object> m = new LinkedHashMap<>();
    i++;
    space();
    if (peek() == '}') {
      i++;
      depth--;
      return m;
    }
    while (true) {
      space();
      if (peek() != '"') {
        throw error("expected a field name");
      }
      int at = i;
      String key = string();
      space();
      expect(':');
      Object v = value();
      if (m.containsKey(key)) {
        i = at;
        throw error("a field name given twice");
      }
      m.put(key, v);
      space();
      if (peek() == ',') {
        i++;
      } else {
        expect('}');
        depth--;
        return m;
      }
    }
  }

  private List<Object> array() {
    enter();
    List<Object> l = new ArrayList<>();
    i++;
    space();
    if (peek() == ']') {
      i++;
      depth--;
      return l;
    }
    while (true) {
      l.add(value());
      space();
      if (peek() == ',') {
        i++;
      } else {
        expect(']');
        depth--;
        return l;
      }
    }
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH);
    }
  }

  private String string() {
    StringBuilder b = new StringBuilder();
    i++;
    while (i < s.length()) {
      char c = s.charAt(i++);
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        i--;
        throw error("a control character in a string");
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (i >= s.length()) {
        break;
      }
      char e = s.charAt(i++);
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'n' -> b.append('\n');
        case 't' -> b.append('\t');
        case 'r' -> b.append('\r');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'u' -> b.append(hex4());
        default -> {
          i--;
          throw error("an unknown escape");
        }
      }
    }
    throw error("unterminated string");
  }

  private char hex4() {
    if (i + 4 > s.length()) {
      throw error("a short \\u escape");
    }
    int v = 0;
    for (int k = 0; k < 4; k++) {
      int d = Character.digit(s.charAt(i + k), 16);
      if (d < 0) {
        throw error("a \\u escape that is not 4 hex digits");
      }
      v = v * 16 + d;
    }
    i += 4;
    return (char) v;
  }

  private Object word(String w, Object v) {
    if (!s.startsWith(w, i)) {
      throw error("unexpected character");
    }
    i += w.length();
    return v;
  }

  /** {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?} */
  private Number number() {
    int start = i;
    if (peek() == '-') {
      i++;
    }
    if (peek() == '0') {
      i++;
    } else if (!digits()) {
      throw error("unexpected character");
    }
    boolean integral = true;
    if (peek() == '.') {
      i++;
      integral = false;
      if (!digits()) {
        throw error("a number without digits after its point");
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      i++;
      integral = false;
      if (peek() == '+' || peek() == '-') {
        i++;
      }
      if (!digits()) {
        throw error("a number without digits in its exponent");
      }
    }
    String text = s.substring(start, i);
    if (integral) {
      try {
        return Long.valueOf(text);
      } catch (NumberFormatException e) {
        // beyond a long: read as a double, like any other number
      }
    }
    return Double.valueOf(text);
  }

  private boolean digits() {
    int start = i;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return i > start;
  }

  private char peek() {
    return i < s.length() ? s.charAt(i) : '\0';
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    i++;
  }

  private void space() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      i++;
    }
  }

  private IllegalArgumentException error(String what) {
    int line = 1;
    int lineStart = 0;
    for (int k = 0; k < Math.min(i, s.length()); k++) {
      if (s.charAt(k) == '\n') {
        line++;
        lineStart = k + 1;
      }
    }
    return new IllegalArgumentException(
        "not valid JSON at line " + line + ", column " + (i - lineStart + 1) + ": " + what);
  }
}

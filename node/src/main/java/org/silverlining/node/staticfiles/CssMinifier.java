package org.silverlining.node.staticfiles;

import org.silverlining.core.InvalidConfigException;

/**
 * A conservative CSS minifier: comments go, runs of white space become one space, and the space
 * around {@code { } ; , >} and before a closing brace's last {@code ;} goes. Strings, {@code url()}
 * values and the spaces that carry meaning (selectors' descendant combinator, {@code calc(a + b)},
 * {@code a :hover}) are kept as written, so the output means what the input did. An unclosed
 * comment or string, or unbalanced braces, is an error naming file and line.
 */
final class CssMinifier {
  private static final String TIGHT = "{};,>";

  private CssMinifier() {}

  static String minify(String name, String css) {
    StringBuilder out = new StringBuilder(css.length());
    int line = 1;
    int depth = 0;
    boolean space = false; // white space seen since the last character written
    int i = 0;
    while (i < css.length()) {
      char c = css.charAt(i);
      if (c == '/' && i + 1 < css.length() && css.charAt(i + 1) == '*') {
        int end = css.indexOf("*/", i + 2);
        if (end < 0) {
          throw new InvalidConfigException(name, line, "a comment is not closed");
        }
        line += count(css, i, end);
        i = end + 2;
        space = true;
        continue;
      }
      if (Character.isWhitespace(c)) {
        line += c == '\n' ? 1 : 0;
        space = true;
        i++;
        continue;
      }
      if (space && out.length() > 0 && !tight(out.charAt(out.length() - 1)) && !tight(c)) {
        out.append(' ');
      }
      space = false;
      if (c == '"' || c == '\'') {
        int end = stringEnd(css, i, c);
        if (end < 0) {
          throw new InvalidConfigException(name, line, "a string is not closed");
        }
        out.append(css, i, end + 1);
        line += count(css, i, end);
        i = end + 1;
        continue;
      }
      depth += c == '{' ? 1 : c == '}' ? -1 : 0;
      if (depth < 0) {
        throw new InvalidConfigException(name, line, "a } closes no block");
      }
      if (c == '}' && out.length() > 0 && out.charAt(out.length() - 1) == ';') {
        out.setLength(out.length() - 1);
      }
      out.append(c);
      i++;
    }
    if (depth != 0) {
      throw new InvalidConfigException(name, line, depth + " block(s) not closed at the end");
    }
    return out.toString();
  }

  private static boolean tight(char c) {
    return TIGHT.indexOf(c) >= 0;
  }

  /** The index of the quote closing the string opened at {@code start}, or -1. */
  private static int stringEnd(String css, int start, char quote) {
    for (int j = start + 1; j < css.length(); j++) {
      char c = css.charAt(j);
      if (c == '\\') {
        j++;
      } else if (c == quote) {
        return j;
      } else if (c == '\n') {
        return -1;
      }
    }
    return -1;
  }

  private static int count(String s, int from, int to) {
    int n = 0;
    for (int j = from; j < to; j++) {
      n += s.charAt(j) == '\n' ? 1 : 0;
    }
    return n;
  }
}

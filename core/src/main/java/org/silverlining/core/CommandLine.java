package org.silverlining.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a command line written in {@code app.ini} into arguments the way a POSIX shell would for
 * simple commands: whitespace separates, single quotes keep everything, double quotes keep spaces
 * but expand variables, a backslash escapes the next character, {@code $NAME} and {@code ${NAME}}
 * expand from the given environment. Nothing else of a shell (pipes, globs, {@code ;}) applies: the
 * program is run directly, never through {@code sh -c}.
 */
public final class CommandLine {
  private CommandLine() {}

  public static List<String> split(String line, Map<String, String> env) {
    List<String> args = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inArg = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          cur.append(c);
        }
        continue;
      }
      if (c == '\\' && i + 1 < line.length()) {
        cur.append(line.charAt(++i));
        inArg = true;
      } else if (c == '$' && i + 1 < line.length()) {
        int before = cur.length();
        i = expand(line, i, env, cur);
        // As in a shell, an unquoted variable that expands to nothing is no argument at all.
        inArg |= quote == '"' || cur.length() > before;
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else {
          cur.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inArg = true;
      } else if (Character.isWhitespace(c)) {
        if (inArg) {
          args.add(cur.toString());
          cur.setLength(0);
          inArg = false;
        }
      } else {
        cur.append(c);
        inArg = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unclosed " + quote + " quote in: " + line);
    }
    if (inArg) {
      args.add(cur.toString());
    }
    return args;
  }

  // Appends the value of the variable starting at line[i] == '$'; returns the index of its last
  // char.
  private static int expand(String line, int i, Map<String, String> env, StringBuilder out) {
    int start = i + 1;
    if (line.charAt(start) == '{') {
      int end = line.indexOf('}', start);
      if (end < 0) {
        throw new IllegalArgumentException("unclosed ${ in: " + line);
      }
      out.append(env.getOrDefault(line.substring(start + 1, end), ""));
      return end;
    }
    int end = start;
    while (end < line.length()
        && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_')) {
      end++;
    }
    if (end == start) {
      out.append('$');
      return i;
    }
    out.append(env.getOrDefault(line.substring(start, end), ""));
    return end - 1;
  }
}

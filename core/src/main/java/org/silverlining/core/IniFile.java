package org.silverlining.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one INI reader of the node and the CLI. By default it reads with Python ConfigParser
 * semantics: {@code [section]} headers, {@code key = value} or {@code key: value}, {@code #}/{@code
 * ;} comment lines and inline {@code " ;"} comments, and indented continuation lines; keys are
 * lower-cased. Files with other needs read with another {@link Syntax}. Every value remembers the
 * lines it came from so that errors can name them.
 */
public final class IniFile {
  /**
   * One {@code key = value} entry and where it was written: its first line and, for a value
   * continued on indented lines, its last.
   */
  public record Entry(String key, String value, int line, int lastLine) {
    public Entry(String key, String value, int line) {
      this(key, value, line, line);
    }
  }

  /**
   * How keys and values are read.
   *
   * @param lowerCaseKeys keys are lower-cased (ConfigParser's way), or kept as written
   * @param keyEndsAtLastEquals a key ends at the line's last {@code =} (keys may hold {@code =} and
   *     {@code :}, values neither), or at its first {@code =} or {@code :}
   * @param inlineComments {@code " #"} and {@code " ;"} start a comment inside a value, or are part
   *     of it
   */
  public record Syntax(boolean lowerCaseKeys, boolean keyEndsAtLastEquals, boolean inlineComments) {
    /** Python ConfigParser's: app.ini, node.ini, the CLI's files. */
    public static final Syntax CONFIG_PARSER = new Syntax(true, false, true);

    /** Keys as written, values as written: files of names and values the node writes itself. */
    public static final Syntax VERBATIM = new Syntax(false, false, false);

    /** Keys as written up to the last {@code =}: URL paths and command lines as keys. */
    public static final Syntax KEYS_AS_WRITTEN = new Syntax(false, true, true);
  }

  private final String source;
  private final Map<String, List<Entry>> sections;

  private IniFile(String source, Map<String, List<Entry>> sections) {
    this.source = source;
    this.sections = sections;
  }

  /**
   * Reads {@code file}; a syntax error is an {@link InvalidConfigException} naming file and line.
   */
  public static IniFile read(Path file) throws IOException {
    return read(file, Syntax.CONFIG_PARSER);
  }

  /** Reads {@code file} with {@code syntax}. */
  public static IniFile read(Path file, Syntax syntax) throws IOException {
    return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8), syntax);
  }

  /** Parses {@code text}, naming {@code source} in errors. */
  public static IniFile parse(String source, String text) {
    return parse(source, text, Syntax.CONFIG_PARSER);
  }

  /** Parses {@code text} with {@code syntax}, naming {@code source} in errors. */
  public static IniFile parse(String source, String text, Syntax syntax) {
    Map<String, List<Entry>> sections = new LinkedHashMap<>();
    List<Entry> current = null;
    boolean continuable = false; // an entry of the current section was the last thing read
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      String raw = lines[i];
      String trimmed = raw.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
        continue;
      }
      boolean indented = Character.isWhitespace(raw.charAt(0));
      if (indented && continuable) {
        Entry previous = current.get(current.size() - 1);
        String more = value(trimmed, syntax);
        String joined = previous.value().isEmpty() ? more : previous.value() + "\n" + more;
        current.set(current.size() - 1, new Entry(previous.key(), joined, previous.line(), lineNo));
        continue;
      }
      if (trimmed.startsWith("[")) {
        if (!trimmed.endsWith("]") || trimmed.length() < 3) {
          throw new InvalidConfigException(
              source, lineNo, "a section header must look like [name], not " + trimmed);
        }
        String name = trimmed.substring(1, trimmed.length() - 1).strip();
        current = sections.computeIfAbsent(name, k -> new ArrayList<>());
        continuable = false;
        continue;
      }
      int eq = separatorIndex(trimmed, syntax);
      if (eq <= 0) {
        throw new InvalidConfigException(
            source, lineNo, "expected 'key = value' or a [section], not: " + trimmed);
      }
      if (current == null) {
        throw new InvalidConfigException(
            source, lineNo, "'" + trimmed + "' comes before any [section] header");
      }
      String key = trimmed.substring(0, eq).strip();
      if (syntax.lowerCaseKeys()) {
        key = key.toLowerCase(java.util.Locale.ROOT);
      }
      current.add(new Entry(key, value(trimmed.substring(eq + 1).strip(), syntax), lineNo));
      continuable = true;
    }
    return new IniFile(source, sections);
  }

  private static int separatorIndex(String line, Syntax syntax) {
    int eq = syntax.keyEndsAtLastEquals() ? line.lastIndexOf('=') : line.indexOf('=');
    int colon = line.indexOf(':');
    if (eq < 0) {
      return colon;
    }
    return colon < 0 || syntax.keyEndsAtLastEquals() ? eq : Math.min(eq, colon);
  }

  private static String value(String text, Syntax syntax) {
    return syntax.inlineComments() ? stripInlineComment(text) : text;
  }

  // ConfigParser's inline comments need whitespace before the prefix, so "a;b" stays a value.
  private static String stripInlineComment(String value) {
    for (int i = 1; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c == ';' || c == '#') && Character.isWhitespace(value.charAt(i - 1))) {
        return value.substring(0, i).strip();
      }
    }
    if (value.startsWith(";") || value.startsWith("#")) {
      return "";
    }
    return value;
  }

  /** The file or name given when parsing; used in error messages. */
  public String source() {
    return source;
  }

  public List<String> sectionNames() {
    return new ArrayList<>(sections.keySet());
  }

  public boolean hasSection(String name) {
    return sections.containsKey(name);
  }

  /**
   * Entries of {@code section} in file order, a key given twice at its first place with its last
   * value; empty when the section is absent.
   */
  public Map<String, Entry> section(String name) {
    Map<String, Entry> m = new LinkedHashMap<>();
    for (Entry e : entries(name)) {
      m.put(e.key(), e);
    }
    return Collections.unmodifiableMap(m);
  }

  /** Every entry of {@code section} as written, a key given twice twice; empty when absent. */
  public List<Entry> entries(String name) {
    return Collections.unmodifiableList(sections.getOrDefault(name, List.of()));
  }

  public Optional<Entry> entry(String section, String key) {
    return Optional.ofNullable(section(section).get(key));
  }

  public Optional<String> get(String section, String key) {
    return entry(section, key).map(Entry::value);
  }

  /** Renders sections back to INI text; used for files the node and CLI write themselves. */
  public static String render(Map<String, Map<String, String>> sections) {
    StringBuilder out = new StringBuilder();
    sections.forEach(
        (name, entries) -> {
          if (out.length() > 0) {
            out.append('\n');
          }
          out.append('[').append(name).append("]\n");
          // Indenting the later lines of a multi-line value makes them continuation lines.
          entries.forEach(
              (k, v) -> out.append(k).append(" = ").append(v.replace("\n", "\n  ")).append('\n'));
        });
    return out.toString();
  }
}

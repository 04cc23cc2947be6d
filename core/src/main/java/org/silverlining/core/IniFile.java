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
 * An INI file read with Python ConfigParser semantics: {@code [section]} headers, {@code key =
 * value} or {@code key: value}, {@code #}/{@code ;} comment lines and inline {@code " ;"} comments,
 * and indented continuation lines. Every value remembers the line it came from so that errors can
 * name it.
 */
public final class IniFile {
  /** One {@code key = value} entry and where it was written. */
  public record Entry(String key, String value, int line) {}

  private final String source;
  private final Map<String, Map<String, Entry>> sections;

  private IniFile(String source, Map<String, Map<String, Entry>> sections) {
    this.source = source;
    this.sections = sections;
  }

  /**
   * Reads {@code file}; a syntax error is an {@link InvalidConfigException} naming file and line.
   */
  public static IniFile read(Path file) throws IOException {
    return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  /** Parses {@code text}, naming {@code source} in errors. */
  public static IniFile parse(String source, String text) {
    Map<String, Map<String, Entry>> sections = new LinkedHashMap<>();
    Map<String, Entry> current = null;
    String lastKey = null;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      String raw = lines[i];
      String trimmed = raw.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
        continue;
      }
      boolean indented = Character.isWhitespace(raw.charAt(0));
      if (indented && current != null && lastKey != null) {
        Entry previous = current.get(lastKey);
        String joined =
            previous.value().isEmpty()
                ? stripInlineComment(trimmed)
                : previous.value() + "\n" + stripInlineComment(trimmed);
        current.put(lastKey, new Entry(lastKey, joined, previous.line()));
        continue;
      }
      if (trimmed.startsWith("[")) {
        if (!trimmed.endsWith("]") || trimmed.length() < 3) {
          throw new InvalidConfigException(
              source, lineNo, "a section header must look like [name], not " + trimmed);
        }
        String name = trimmed.substring(1, trimmed.length() - 1).strip();
        current = sections.computeIfAbsent(name, k -> new LinkedHashMap<>());
        lastKey = null;
        continue;
      }
      int eq = separatorIndex(trimmed);
      if (eq <= 0) {
        throw new InvalidConfigException(
            source, lineNo, "expected 'key = value' or a [section], not: " + trimmed);
      }
      if (current == null) {
        throw new InvalidConfigException(
            source, lineNo, "'" + trimmed + "' comes before any [section] header");
      }
      String key = trimmed.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT);
      String value = stripInlineComment(trimmed.substring(eq + 1).strip());
      current.put(key, new Entry(key, value, lineNo));
      lastKey = key;
    }
    return new IniFile(source, sections);
  }

  private static int separatorIndex(String line) {
    int eq = line.indexOf('=');
    int colon = line.indexOf(':');
    if (eq < 0) {
      return colon;
    }
    return colon < 0 ? eq : Math.min(eq, colon);
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

  /** Entries of {@code section} in file order; empty when the section is absent. */
  public Map<String, Entry> section(String name) {
    return Collections.unmodifiableMap(sections.getOrDefault(name, Map.of()));
  }

  public Optional<Entry> entry(String section, String key) {
    return Optional.ofNullable(sections.getOrDefault(section, Map.of()).get(key));
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

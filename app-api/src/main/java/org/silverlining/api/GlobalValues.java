package org.silverlining.api;

import java.util.Map;
import java.util.TreeMap;

/** Reads the {@code SILVER_GLOBAL_CONFIG} file: INI, one {@code [global]} section, KEY = VALUE. */
final class GlobalValues {
  private GlobalValues() {}

  static Map<String, String> parse(String text) {
    Map<String, String> values = new TreeMap<>();
    String section = "global";
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1).strip();
        continue;
      }
      int eq = line.indexOf('=');
      if (eq > 0 && section.equals("global")) {
        values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
      }
    }
    return Map.copyOf(values);
  }
}

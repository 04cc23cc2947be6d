package org.silverlining.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A listing in columns as wide as their widest cell, two spaces apart, with the headers first.
 * Columns whose header starts with {@code >} hold numbers and are aligned right; the last column is
 * never padded, so a long last cell (a message, an error) does not push the line wider.
 */
final class Table {
  private final String[] headers;
  private final boolean[] right;
  private final List<String[]> rows = new ArrayList<>();

  Table(String... headers) {
    this.headers = new String[headers.length];
    this.right = new boolean[headers.length];
    for (int i = 0; i < headers.length; i++) {
      right[i] = headers[i].startsWith(">");
      this.headers[i] = right[i] ? headers[i].substring(1) : headers[i];
    }
  }

  /** Adds a row of one cell per column; cells are printed with {@link String#valueOf(Object)}. */
  Table row(Object... cells) {
    if (cells.length != headers.length) {
      throw new IllegalArgumentException(
          "a row of " + cells.length + " cells in a table of " + headers.length + " columns");
    }
    rows.add(Arrays.stream(cells).map(String::valueOf).toArray(String[]::new));
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintStream out) {
    int[] widths = new int[headers.length];
    for (String[] line : lines()) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (String[] line : lines()) {
      int start = text.length();
      for (int i = 0; i < line.length; i++) {
        String cell = line[i];
        String pad = " ".repeat(widths[i] - cell.length());
        boolean last = i == line.length - 1;
        text.append(right[i] ? pad + cell : last ? cell : cell + pad);
        if (!last) {
          text.append("  ");
        }
      }
      while (text.length() > start && text.charAt(text.length() - 1) == ' ') {
        text.setLength(text.length() - 1);
      }
      text.append(System.lineSeparator());
    }
    out.print(text);
  }

  private List<String[]> lines() {
    List<String[]> all = new ArrayList<>(rows.size() + 1);
    all.add(headers);
    all.addAll(rows);
    return all;
  }
}

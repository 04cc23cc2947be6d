package org.silverlining.node.dashboard;

/**
 * The one way the dashboard writes HTML: text and attribute values are always escaped; element and
 * attribute names are the code's own constants. {@code open("a", "href", url).text(name).close()}.
 * Attributes come as name, value pairs; a {@code null} value leaves the attribute out, and a value
 * equal to the name writes it bare (a boolean attribute such as {@code required}).
 */
public final class Html {
  private final StringBuilder out = new StringBuilder(4096);
  private final java.util.ArrayDeque<String> open = new java.util.ArrayDeque<>();

  /** Opens {@code tag} with {@code attributes}; {@link #close()} ends it. */
  public Html open(String tag, String... attributes) {
    start(tag, attributes);
    open.push(tag);
    return this;
  }

  /** Ends the element opened last. */
  public Html close() {
    out.append("</").append(open.pop()).append('>');
    return this;
  }

  /** An element without content or end tag ({@code input}, {@code meta}, {@code br}). */
  public Html empty(String tag, String... attributes) {
    start(tag, attributes);
    return this;
  }

  /** {@code <tag ...>text</tag>}. */
  public Html element(String tag, String text, String... attributes) {
    start(tag, attributes);
    escape(text);
    out.append("</").append(tag).append('>');
    return this;
  }

  /** Escaped text. */
  public Html text(String text) {
    escape(text);
    return this;
  }

  /** Markup another {@link Html} wrote: it is escaped already. */
  public Html append(Html other) {
    out.append(other.out);
    return this;
  }

  /**
   * Markup written by the code itself, never with outside data in it (an SVG path the code
   * computed, a doctype).
   */
  Html trusted(String markup) {
    out.append(markup);
    return this;
  }

  private void start(String tag, String... attributes) {
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException("attributes come in name, value pairs: " + tag);
    }
    out.append('<').append(tag);
    for (int i = 0; i < attributes.length; i += 2) {
      String name = attributes[i];
      String value = attributes[i + 1];
      if (value == null) {
        continue;
      }
      out.append(' ').append(name);
      if (!value.equals(name)) {
        out.append("=\"");
        escape(value);
        out.append('"');
      }
    }
    out.append('>');
  }

  private void escape(String s) {
    if (s == null) {
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
  }

  @Override
  public String toString() {
    if (!open.isEmpty()) {
      throw new IllegalStateException("elements left open: " + open);
    }
    return out.toString();
  }
}

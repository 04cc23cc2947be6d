package org.silverlining.core;

/** A configuration file that cannot be used; the message names the file, the line and the fix. */
public class InvalidConfigException extends RuntimeException {
  private final String source;
  private final int line;

  public InvalidConfigException(String source, int line, String problem) {
    super(source + (line > 0 ? ":" + line : "") + ": " + problem);
    this.source = source;
    this.line = line;
  }

  public String source() {
    return source;
  }

  /** The 1-based line of the problem, or 0 when it concerns the whole file. */
  public int line() {
    return line;
  }
}

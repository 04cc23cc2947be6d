package org.silverlining.node.monitor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds tracebacks in one process's output, line by line: Python's ({@code Traceback (most recent
 * call last):} up to the exception line), Java's (an exception line followed by {@code at} frames,
 * with its {@code Caused by} parts) and PHP's ({@code PHP Fatal error: ...}). Each one found is
 * given to the consumer once complete. A Java trace ends at the first line that is not part of it,
 * or at {@link #flush} when the process prints nothing more.
 */
public final class TraceParser {
  static final int MAX_LINES = 200;

  private static final Pattern PY_FRAME =
      Pattern.compile("^\\s+File \"([^\"]*)\", line \\d+, in (.*)$");
  private static final Pattern PY_EXCEPTION = Pattern.compile("^([A-Za-z_][\\w.]*)(?::\\s?(.*))?$");
  private static final Pattern JAVA_HEADER =
      Pattern.compile(
          "^(?:Exception in thread \"[^\"]*\" )?((?:[a-zA-Z_$][\\w$]*\\.)+[A-Z][\\w$]*)(?::\\s?(.*))?$");
  private static final Pattern JAVA_FRAME =
      Pattern.compile("^\\s+at ([^(]+)\\(([^):]*)(?::\\d+)?\\)\\s*$");
  private static final Pattern JAVA_MORE =
      Pattern.compile("^(\\s+\\.\\.\\. \\d+ more|Caused by: .*|\\s*Suppressed: .*|\\s+at .*)$");
  private static final Pattern PHP =
      Pattern.compile(
          "^PHP (Fatal error|Warning|Parse error|Notice|Deprecated):\\s+(?:Uncaught ([\\w\\\\]+):?\\s*)?(.*?)(?: in (\\S+?)(?::| on line )(\\d+))?\\s*$");

  private enum State {
    NONE,
    PYTHON,
    JAVA_HEADER,
    JAVA
  }

  private final Consumer<ErrorReport> out;
  private State state = State.NONE;
  private final List<String> lines = new ArrayList<>();
  private final List<String> frames = new ArrayList<>();
  private String javaType;
  private String javaMessage;

  public TraceParser(Consumer<ErrorReport> out) {
    this.out = out;
  }

  private volatile long lastLineNanos;

  /** Ends an open Java trace when no line came for {@code idleNanos}. */
  public synchronized void flushIfIdle(long nowNanos, long idleNanos) {
    if (state == State.JAVA && nowNanos - lastLineNanos > idleNanos) {
      flush();
    }
  }

  /** Reads one line of output. */
  public synchronized void line(String line) {
    lastLineNanos = System.nanoTime();
    switch (state) {
      case PYTHON -> python(line);
      case JAVA_HEADER -> {
        if (JAVA_FRAME.matcher(line).matches()) {
          state = State.JAVA;
          java(line);
        } else {
          reset();
          start(line);
        }
      }
      case JAVA -> {
        if (JAVA_MORE.matcher(line).matches() && lines.size() < MAX_LINES) {
          java(line);
        } else {
          flush();
          start(line);
        }
      }
      case NONE -> start(line);
    }
  }

  private void start(String line) {
    if (line.equals("Traceback (most recent call last):")) {
      state = State.PYTHON;
      lines.add(line);
      return;
    }
    Matcher php = PHP.matcher(line);
    if (php.matches()) {
      String type = php.group(2) != null ? php.group(2) : php.group(1);
      List<String> at = php.group(4) == null ? List.of() : List.of(php.group(4));
      out.accept(new ErrorReport("php", type, php.group(3), at, line));
      return;
    }
    Matcher j = JAVA_HEADER.matcher(line);
    if (j.matches()) {
      state = State.JAVA_HEADER;
      javaType = j.group(1);
      javaMessage = j.group(2) == null ? "" : j.group(2);
      lines.add(line);
    }
  }

  private void python(String line) {
    lines.add(line);
    Matcher f = PY_FRAME.matcher(line);
    if (f.matches()) {
      frames.add(0, f.group(1) + " in " + f.group(2)); // innermost last in Python: reverse
      return;
    }
    if (line.isEmpty() || Character.isWhitespace(line.charAt(0))) {
      if (lines.size() > MAX_LINES) {
        reset();
      }
      return;
    }
    Matcher e = PY_EXCEPTION.matcher(line);
    String type = e.matches() ? e.group(1) : line;
    String message = e.matches() && e.group(2) != null ? e.group(2) : "";
    out.accept(new ErrorReport("python", type, message, frames, String.join("\n", lines)));
    reset();
  }

  private void java(String line) {
    lines.add(line);
    Matcher f = JAVA_FRAME.matcher(line);
    if (f.matches() && !lines.stream().anyMatch(l -> l.startsWith("Caused by:"))) {
      frames.add(f.group(1));
    }
  }

  /** Ends a trace still open (a Java trace waits for a line that is not part of it). */
  public synchronized void flush() {
    if (state == State.JAVA) {
      out.accept(new ErrorReport("java", javaType, javaMessage, frames, String.join("\n", lines)));
    }
    reset();
  }

  private void reset() {
    state = State.NONE;
    lines.clear();
    frames.clear();
    javaType = null;
    javaMessage = null;
  }
}

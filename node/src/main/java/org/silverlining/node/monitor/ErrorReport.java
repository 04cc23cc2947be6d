package org.silverlining.node.monitor;

import java.util.List;

/**
 * One error an app had: a traceback or stack trace it printed, a 5xx it answered, a failed cron run
 * or task. Reports with the same {@link #signature} are one group.
 *
 * @param kind {@code python}, {@code java}, {@code php}, {@code http}...
 * @param type the exception's type ({@code ZeroDivisionError}) or {@code HTTP 500}
 * @param message the exception's message, or what was asked
 * @param frames the innermost frames, innermost first, without line numbers
 * @param sample the report as it was printed (at most {@link #SAMPLE_CHARS})
 */
public record ErrorReport(
    String kind, String type, String message, List<String> frames, String sample) {
  static final int SAMPLE_CHARS = 4000;
  static final int SIGNATURE_FRAMES = 3;

  public ErrorReport {
    frames = List.copyOf(frames);
    sample = sample.length() > SAMPLE_CHARS ? sample.substring(0, SAMPLE_CHARS) : sample;
  }

  /** The type and the top frames: what makes two reports the same error. */
  public String signature() {
    StringBuilder b = new StringBuilder(kind).append(' ').append(type);
    for (String f : frames.subList(0, Math.min(SIGNATURE_FRAMES, frames.size()))) {
      b.append(" | ").append(f);
    }
    return b.toString();
  }
}

package org.silverlining.node.monitor;

import java.util.Objects;

/**
 * The state of one check, changed only when {@link #CONFIRM} results in a row agree, so a check
 * that flaps from one result to the next never changes state and never alerts. The first state a
 * check settles in is a change only when it is not the normal one (a ping down from the start is
 * news; a ping up from the start is not).
 */
public final class StateTracker {
  static final int CONFIRM = 2;

  private final String normal;
  private String state;
  private String candidate;
  private int streak;

  /** A tracker whose normal state is {@code normal} ({@code up}, {@code ok}). */
  public StateTracker(String normal) {
    this.normal = normal;
  }

  /**
   * Records one result; returns the new state when this result changed it (an alert is due), or
   * {@code null}.
   */
  public synchronized String record(String result) {
    if (Objects.equals(result, state)) {
      candidate = null;
      streak = 0;
      return null;
    }
    if (!result.equals(candidate)) {
      candidate = result;
      streak = 0;
    }
    streak++;
    if (streak < CONFIRM) {
      return null;
    }
    boolean first = state == null;
    state = result;
    candidate = null;
    streak = 0;
    return first && result.equals(normal) ? null : result;
  }

  /** The settled state, or {@code null} before the first one. */
  public synchronized String state() {
    return state;
  }
}

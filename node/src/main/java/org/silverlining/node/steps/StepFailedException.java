package org.silverlining.node.steps;

import java.util.List;

/**
 * A stage of a multi-step operation failed and the stages before it were undone: names the stage,
 * carries the stage's own failure as the cause (its message is this one's), and lists what could
 * not be undone.
 */
public final class StepFailedException extends Exception {
  private final String step;
  private final List<String> undoProblems;

  StepFailedException(String step, Exception cause, List<String> undoProblems) {
    super(messageOf(cause), cause);
    this.step = step;
    this.undoProblems = List.copyOf(undoProblems);
  }

  /** The stage that failed. */
  public String step() {
    return step;
  }

  /** The stage's own failure. */
  public Exception failure() {
    return (Exception) getCause();
  }

  /** Stages that could not be undone, with why; empty when everything was taken back. */
  public List<String> undoProblems() {
    return undoProblems;
  }

  static String messageOf(Exception e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}

package org.silverlining.node.deploy;

import java.util.List;

/** A deployment that did not go live; names the stage and carries the app's last output lines. */
public class DeployFailedException extends Exception {
  private final String stage;
  private final List<String> logTail;
  private final List<String> undoProblems;

  public DeployFailedException(String stage, String message, List<String> logTail) {
    this(stage, message, logTail, List.of());
  }

  /**
   * A failure whose undo did not complete: {@code undoProblems} names each stage that could not be
   * undone and why, so that the user is not told that nothing changed.
   */
  public DeployFailedException(
      String stage, String message, List<String> logTail, List<String> undoProblems) {
    super(message);
    this.stage = stage;
    this.logTail = List.copyOf(logTail);
    this.undoProblems = List.copyOf(undoProblems);
  }

  public String stage() {
    return stage;
  }

  public List<String> logTail() {
    return logTail;
  }

  /** Stages that could not be undone, with why; empty when everything was taken back. */
  public List<String> undoProblems() {
    return undoProblems;
  }
}

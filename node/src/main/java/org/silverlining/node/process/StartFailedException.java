package org.silverlining.node.process;

import java.util.List;

/** An instance whose processes did not become ready; carries the last lines they printed. */
public class StartFailedException extends Exception {
  private final List<String> logTail;

  public StartFailedException(String message, List<String> logTail) {
    super(message);
    this.logTail = List.copyOf(logTail);
  }

  public List<String> logTail() {
    return logTail;
  }
}

package org.silverlining.node.deploy;

import java.util.List;

/** A deployment that did not go live; names the stage and carries the app's last output lines. */
public class DeployFailedException extends Exception {
  private final String stage;
  private final List<String> logTail;

  public DeployFailedException(String stage, String message, List<String> logTail) {
    super(message);
    this.stage = stage;
    this.logTail = List.copyOf(logTail);
  }

  public String stage() {
    return stage;
  }

  public List<String> logTail() {
    return logTail;
  }
}

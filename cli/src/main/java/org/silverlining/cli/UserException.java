package org.silverlining.cli;

/** A failure the user can fix; printed as one line with no stack trace. */
public class UserException extends RuntimeException {
  private final int exitCode;

  public UserException(String message) {
    this(message, 1);
  }

  public UserException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}

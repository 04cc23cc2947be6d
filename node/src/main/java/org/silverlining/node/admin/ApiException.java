package org.silverlining.node.admin;

/** A request the management API refuses, with the HTTP status and a message for the user. */
public class ApiException extends Exception {
  private final int status;

  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}

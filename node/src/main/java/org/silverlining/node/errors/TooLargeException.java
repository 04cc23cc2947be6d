package org.silverlining.node.errors;

/** What the request sends is larger than the node takes. */
public final class TooLargeException extends RefusedException {
  public TooLargeException(String message) {
    super(message);
  }
}

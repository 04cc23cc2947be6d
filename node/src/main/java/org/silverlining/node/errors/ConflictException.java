package org.silverlining.node.errors;

/** The request is well formed, but the state of the node forbids it now (nothing live, busy...). */
public final class ConflictException extends RefusedException {
  public ConflictException(String message) {
    super(message);
  }
}

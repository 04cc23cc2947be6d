package org.silverlining.node.errors;

/** A request that is not well formed: a body that does not parse, a combination not allowed. */
public class InvalidRequestException extends RefusedException {
  public InvalidRequestException(String message) {
    super(message);
  }
}

package org.silverlining.node.errors;

/** The request has no credentials, or credentials this node does not accept. */
public final class UnauthorizedException extends RefusedException {
  public UnauthorizedException(String message) {
    super(message);
  }
}

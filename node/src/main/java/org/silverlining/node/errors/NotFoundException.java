package org.silverlining.node.errors;

/** What the request names does not exist on this node: an app, a location, an instance... */
public final class NotFoundException extends RefusedException {
  public NotFoundException(String message) {
    super(message);
  }
}

package org.silverlining.node.api;

import java.util.List;
import org.silverlining.node.errors.RefusedException;

/** A path the API knows, asked with a method it does not take there; says which it takes. */
public final class MethodNotAllowedException extends RefusedException {
  private final List<String> allowed;

  public MethodNotAllowedException(String message, List<String> allowed) {
    super(message);
    this.allowed = List.copyOf(allowed);
  }

  /** The methods the path takes, for the {@code Allow} header. */
  public List<String> allowed() {
    return allowed;
  }
}

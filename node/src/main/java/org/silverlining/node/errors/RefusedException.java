package org.silverlining.node.errors;

/**
 * A request the node refuses for a reason its caller can act on: a bad parameter, something that
 * does not exist, a state that forbids it. Its message is written for the user. The subclasses say
 * which reason; only the APIs' error mapping turns them into HTTP status codes. Unchecked, so that
 * a record's compact constructor can refuse a value.
 */
public abstract class RefusedException extends RuntimeException {
  protected RefusedException(String message) {
    super(message);
  }

  protected RefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}

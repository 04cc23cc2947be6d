package org.silverlining.node.errors;

/** A parameter that is missing or has a value the call does not take; names the parameter. */
public final class InvalidParameterException extends InvalidRequestException {
  private final String parameter;

  public InvalidParameterException(String parameter, String message) {
    super(message);
    this.parameter = parameter;
  }

  /** The parameter is required and was not given (or was blank). */
  public static InvalidParameterException missing(String parameter) {
    return new InvalidParameterException(
        parameter, "the parameter '" + parameter + "' is required");
  }

  /** The name of the parameter, as the caller gave it. */
  public String parameter() {
    return parameter;
  }
}

package org.silverlining.node.api;

import org.silverlining.node.errors.InvalidParameterException;

/** Checks for parameter records' compact constructors; each refusal names the parameter. */
public final class Params {
  private Params() {}

  /** {@code value}, which parameter {@code name} must give (not blank). */
  public static String required(String name, String value) {
    if (value == null || value.isBlank()) {
      throw InvalidParameterException.missing(name);
    }
    return value;
  }

  /** {@code value}, or null when it is blank. */
  public static String optional(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /** {@code value}, {@code absent} when not given; refused below {@code min}. */
  public static int atLeast(String name, Integer value, int min, int absent) {
    if (value == null) {
      return absent;
    }
    if (value < min) {
      throw new InvalidParameterException(
          name, "the parameter '" + name + "' is at least " + min + ", not " + value);
    }
    return value;
  }
}

package org.silverlining.node.middleware;

/** A header a pack adds; a null {@code value} removes every header of that name instead. */
public record Header(String name, String value) {
  /** Removes {@code name}. */
  public static Header remove(String name) {
    return new Header(name, null);
  }
}

package org.silverlining.node.middleware;

/**
 * A setting a pack takes. A key ending with a dot ({@code header.}) stands for every key that
 * starts with it ({@code header.X-Robots-Tag}). A secret one is shown as {@link #HIDDEN}.
 */
public record Setting(String key, String description, boolean secret) {
  /** What listings show instead of a secret setting's value. */
  public static final String HIDDEN = "********";

  /** Whether {@code given} is this setting. */
  public boolean matches(String given) {
    return key.endsWith(".")
        ? given.length() > key.length() && given.startsWith(key)
        : given.equals(key);
  }
}

package org.silverlining.node.config;

/**
 * A configuration change refused because of what the caller asked for: a folder with a link out of
 * it or a special file, one past the size limits, an unknown revision number, a bad author. Nothing
 * was recorded; the message says what to fix.
 */
public class ConfigRejectedException extends Exception {
  public ConfigRejectedException(String message) {
    super(message);
  }
}

package org.silverlining.node.monitor;

import java.time.Instant;

/**
 * A change of state worth telling someone: a ping gone down or back up, a crash loop, the disk
 * nearly full. Sent once per change, never once per failed check.
 *
 * @param app the app concerned, or {@code null} for the node itself
 * @param location the location concerned, or {@code null}
 * @param check what was checked: {@code ping}, {@code crash_loop}, {@code disk}, {@code
 *     certificate}
 * @param state the new state: {@code down}, {@code up}, {@code nearly_full}, {@code expiring},
 *     {@code ok}
 * @param detail one line saying what was seen
 */
public record Alert(
    String node,
    String app,
    String location,
    String check,
    String state,
    Instant time,
    String detail) {

  /** The subject line of the alert's e-mail. */
  public String subject() {
    return "[silver "
        + node
        + "] "
        + check
        + " "
        + state
        + (location != null ? " at " + location : app != null ? " for " + app : "");
  }
}

package org.silverlining.node.middleware;

/**
 * A refusal the security log records: its kind, what refused and why ({@code "password pack: wrong
 * password"}), and the user name the client tried, if any — never what it gave as password.
 */
public record Refusal(Kind kind, String detail, String user) {
  /** The kinds of the security log that packs raise. */
  public enum Kind {
    BAD_LOGIN,
    REFUSED,
    RATE_LIMIT
  }
}

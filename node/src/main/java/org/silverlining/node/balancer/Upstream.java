package org.silverlining.node.balancer;

/**
 * One app server's front as the balancer sees it: its address and whether it is in rotation. It
 * leaves rotation after {@link #FAILS_TO_LEAVE} failed health checks in a row, or at once when a
 * request cannot connect to it; it comes back after {@link #PASSES_TO_RETURN} passed checks in a
 * row.
 */
public final class Upstream {
  static final int FAILS_TO_LEAVE = 2;
  static final int PASSES_TO_RETURN = 2;

  private final String host;
  private final int port;
  private volatile boolean healthy = true;
  private int fails;
  private int passes;

  Upstream(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** {@code HOST:PORT}, as the nodeset update gives it; an IPv6 host in brackets. */
  static Upstream parse(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException("an upstream is HOST:PORT, not '" + address + "'");
    }
    String host = address.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("an upstream is HOST:PORT, not '" + address + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("the port of '" + address + "' is not 1-65535");
    }
    return new Upstream(host, port);
  }

  public String address() {
    return host + ":" + port;
  }

  String host() {
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  int port() {
    return port;
  }

  public boolean healthy() {
    return healthy;
  }

  /** A health check passed. */
  synchronized void passed() {
    fails = 0;
    if (!healthy && ++passes >= PASSES_TO_RETURN) {
      healthy = true;
    }
  }

  /** A health check failed. */
  synchronized void failed() {
    passes = 0;
    if (++fails >= FAILS_TO_LEAVE) {
      healthy = false;
    }
  }

  /** A request could not connect: out of rotation until the checks pass again. */
  synchronized void unreachable() {
    passes = 0;
    fails = FAILS_TO_LEAVE;
    healthy = false;
  }
}

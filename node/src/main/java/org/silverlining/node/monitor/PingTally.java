package org.silverlining.node.monitor;

import java.util.List;

/**
 * The ping checks of one location in a period: those that finished since the history last took
 * them, or those of a point of the history.
 *
 * @param pings checks finished
 * @param ok the checks among them that found the location up
 */
public record PingTally(long pings, long ok) {
  static final PingTally NONE = new PingTally(0, 0);

  /** The share of the checks that found the location up, or -1 without checks. */
  double up() {
    return pings == 0 ? -1 : (double) ok / pings;
  }

  /** The checks of several periods together. */
  static PingTally sum(List<PingTally> tallies) {
    long pings = 0;
    long ok = 0;
    for (PingTally t : tallies) {
      pings += t.pings;
      ok += t.ok;
    }
    return new PingTally(pings, ok);
  }
}

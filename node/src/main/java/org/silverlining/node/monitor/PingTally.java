package org.silverlining.node.monitor;

/**
 * The ping checks of one location that finished since the history last took them.
 *
 * @param pings checks finished
 * @param ok the checks among them that found the location up
 */
record PingTally(long pings, long ok) {}

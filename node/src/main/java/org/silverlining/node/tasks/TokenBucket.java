package org.silverlining.node.tasks;

import java.util.function.LongSupplier;

/**
 * A token bucket: it holds at most {@code size} tokens, starts full and gains {@code rate} tokens a
 * second; a task may start when it can take one. So a queue starts at most {@code size} tasks at
 * once after a quiet time and {@code rate} a second on average. A rate of 0 is empty and stays so.
 */
final class TokenBucket {
  private final double rate;
  private final double size;
  private final LongSupplier nanos;
  private double tokens;
  private long last;

  TokenBucket(double rate, int size, LongSupplier nanos) {
    this.rate = rate;
    this.size = size;
    this.nanos = nanos;
    this.tokens = rate > 0 ? size : 0; // a paused queue starts nothing
    this.last = nanos.getAsLong();
  }

  /** Takes a token when there is one. */
  synchronized boolean tryTake() {
    refill();
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Gives back a token taken for a task that could not start after all. */
  synchronized void giveBack() {
    tokens = Math.min(size, tokens + 1);
  }

  private void refill() {
    long now = nanos.getAsLong();
    tokens = Math.min(size, tokens + (now - last) / 1e9 * rate);
    last = now;
  }
}

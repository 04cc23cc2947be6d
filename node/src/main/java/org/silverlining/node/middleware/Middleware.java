package org.silverlining.node.middleware;

/**
 * A pack made ready with its settings: decides on each request. Immutable apart from what it counts
 * (a rate limit's buckets), and safe to call from many threads at once.
 */
public interface Middleware extends AutoCloseable {
  Decision decide(RequestView request);

  /** Releases what it holds (a process); called once no chain uses it any more. */
  @Override
  default void close() {}
}

package org.silverlining.node.middleware;

/**
 * A pack made ready with its settings: decides on each request. Immutable apart from what it counts
 * (a rate limit's buckets), and safe to call from many threads at once.
 */
public interface Middleware extends AutoCloseable {
  Decision decide(RequestView request);

  /**
   * Whether {@link #decide} may wait on this request (on another process, or on a slow password
   * hash): the front then asks on a worker thread, never on a thread that carries other connections
   * too. Asked per request, so that a pack that waits only now and then (a password not verified
   * before) costs no thread hop the rest of the time.
   */
  default boolean mayWait(RequestView request) {
    return false;
  }

  /** Releases what it holds (a process); called once no chain uses it any more. */
  @Override
  default void close() {}
}

package org.silverlining.node.dashboard;

/**
 * Answers a logged-in user's {@code GET} itself, through {@link PageRequest#response()} and {@link
 * PageRequest#callback()} (server-sent events, JSON for a graph); it completes the callback, or
 * throws before answering.
 */
@FunctionalInterface
public interface RawEndpoint {
  void serve(PageRequest request) throws Exception;
}

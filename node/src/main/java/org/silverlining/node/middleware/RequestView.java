package org.silverlining.node.middleware;

import java.util.function.BiConsumer;

/**
 * What a pack sees of a request: enough to decide on it, nothing of the server that carries it, so
 * that every transport of the front (proxy, PHP, static files) asks the same chain.
 */
public interface RequestView {
  String method();

  /** The path and query as the client sent them: what an auth subrequest passes on. */
  String target();

  /** The path, decoded, from the root of the host (not of the location). */
  String path();

  /** The first value of header {@code name} (any case), or null. */
  String header(String name);

  /** Calls {@code each} with every header's name and value, in the order the client sent them. */
  void forEachHeader(BiConsumer<String, String> each);

  /** The client's address, as the front sees the connection. */
  String clientAddress();

  /** Whether the request came over HTTPS. */
  boolean secure();
}

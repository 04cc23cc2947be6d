package org.silverlining.node.front;

import org.silverlining.node.staticfiles.StaticAnswer;

/**
 * A request the byte-level path routed: from {@code remote}, to {@code file}'s answer, or else to
 * the app process at {@code port}, whose answer is compressed if {@code gzip} (the client takes it)
 * and {@link AnswerGzip#applies} to it.
 */
record RoutedRequest(
    String remote,
    ProxyConnectionFactory.Target target,
    String host,
    String method,
    String pathQuery,
    int port,
    StaticAnswer file,
    boolean gzip) {

  /** The request as the access log and the metrics see it, answered with {@code status} now. */
  ProxiedRequest answered(int status, long bytes, long beginNanos) {
    return new ProxiedRequest(
        remote,
        RouteTable.normalizeHost(host),
        method,
        pathQuery,
        status,
        bytes,
        beginNanos,
        System.nanoTime() - beginNanos,
        target.match(),
        target.live());
  }
}

package org.silverlining.node.front;

/**
 * A request the byte-level proxy answered, as the access log and the metrics see it.
 *
 * @param host the host the client asked for, without a port
 * @param status the status sent; 499 when the client went away before the answer began
 * @param bytes bytes of the answer's body sent to the client
 * @param upstreamNanos how long the app took, from the request's arrival to the answer's end
 */
public record ProxiedRequest(
    String remote,
    String host,
    String method,
    String pathQuery,
    int status,
    long bytes,
    long beginNanos,
    long upstreamNanos,
    RouteMatch match,
    LiveInstance live) {

  /** The path, without the query. */
  public String path() {
    int q = pathQuery.indexOf('?');
    return q < 0 ? pathQuery : pathQuery.substring(0, q);
  }
}

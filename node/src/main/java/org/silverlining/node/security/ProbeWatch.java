package org.silverlining.node.security;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;

/**
 * Records a {@code probe} when the front answers 404 to a path scanners look for ({@link Probes}):
 * a probe the app serves (a {@code /wp-admin} of a real WordPress) is no attack. A request log, so
 * it sees the final status and costs a request nothing unless the answer is a 404.
 */
public final class ProbeWatch implements RequestLog {
  private final SecurityLog log;
  private final Connector admin;

  /** {@code admin}: the management API's connector, whose requests are not the front's. */
  public ProbeWatch(SecurityLog log, Connector admin) {
    this.log = log;
    this.admin = admin;
  }

  @Override
  public void log(Request request, Response response) {
    if (response.getStatus() != 404 || request.getConnectionMetaData().getConnector() == admin) {
      return;
    }
    String probe = log.settings().probes().match(request.getHttpURI().getCanonicalPath());
    if (probe != null) {
      log.record(SecurityEvent.of(SecurityEvent.Kind.PROBE, request, detail(probe)));
    }
  }

  /** The same for a request the front's byte-level proxy answered. */
  public void answered(String client, String method, String path, int status) {
    if (status != 404) {
      return;
    }
    String probe = log.settings().probes().match(path);
    if (probe != null) {
      log.record(
          new SecurityEvent(
              java.time.Instant.now().toString(),
              client,
              SecurityEvent.Kind.PROBE,
              method,
              path,
              detail(probe),
              false,
              null));
    }
  }

  private static String detail(String probe) {
    return "not served (404): matches the probe " + probe;
  }
}

package org.silverlining.node.security;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;

/**
 * Records a {@code probe} when the front does not serve a path scanners look for ({@link Probes}):
 * a 404, or a 401 or 403 from a pack or the app (a {@code /.env} behind a password is still a
 * scan). A probe the app serves (a {@code /wp-admin} of a real WordPress) is no attack. A request
 * log, so it sees the final status and costs a request nothing unless the answer is a refusal.
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
    int status = response.getStatus();
    if (!notServed(status) || request.getConnectionMetaData().getConnector() == admin) {
      return;
    }
    String probe = log.settings().probes().match(request.getHttpURI().getCanonicalPath());
    if (probe != null) {
      log.record(SecurityEvent.of(SecurityEvent.Kind.PROBE, request, detail(probe, status)));
    }
  }

  /** The same for a request the front's byte-level proxy answered. */
  public void answered(String client, String method, String path, int status) {
    if (!notServed(status)) {
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
              detail(probe, status),
              false,
              null));
    }
  }

  private static boolean notServed(int status) {
    return status == 404 || status == 401 || status == 403;
  }

  private static String detail(String probe, int status) {
    return "not served (" + status + "): matches the probe " + probe;
  }
}

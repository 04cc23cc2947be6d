package org.silverlining.node.admin;

import org.silverlining.node.api.ApiArea;
import org.silverlining.node.api.Endpoint;
import org.silverlining.node.api.Params;
import org.silverlining.node.api.Routes;
import org.silverlining.node.control.LiveApps;
import org.silverlining.node.control.NodeStatus;
import org.silverlining.node.control.SecretKeys;

/**
 * The node itself: what it is and serves, clearing an app's data, cleaning what no location uses,
 * the platform secret.
 */
final class NodeArea implements ApiArea {
  private final NodeStatus status;
  private final LiveApps liveApps;
  private final SecretKeys secret;

  NodeArea(NodeStatus status, LiveApps liveApps, SecretKeys secret) {
    this.status = status;
    this.liveApps = liveApps;
    this.secret = secret;
  }

  /** A call that takes no parameters. */
  record None() {}

  record LocationParams(String location) {
    LocationParams {
      Params.required("location", location);
    }
  }

  record RotateParams(String grace) {}

  @Override
  public void addRoutes(Routes routes) {
    routes
        .get("", Endpoint.json(None.class, (p, call) -> status.describe()))
        .get("apps", Endpoint.json(None.class, (p, call) -> status.query()))
        .post(
            "clear", Endpoint.json(LocationParams.class, (p, call) -> liveApps.clear(p.location())))
        .get("clean", Endpoint.json(None.class, (p, call) -> liveApps.unused()))
        .post("clean", Endpoint.json(None.class, (p, call) -> liveApps.clean()))
        .get("secret", Endpoint.json(None.class, (p, call) -> secret.describe()))
        .post(
            "secret/rotate",
            Endpoint.json(RotateParams.class, (p, call) -> secret.rotate(p.grace(), call.who())))
        .get("secret/ring", Endpoint.json(None.class, (p, call) -> secret.ring(call.who())))
        .post(
            "secret/adopt",
            Endpoint.json(None.class, (p, call) -> secret.adopt(body(call), call.who())));
  }

  /** The largest ring taken: hundreds of keys. */
  private static final int MAX_RING = 1 << 20;

  private static String body(org.silverlining.node.api.ApiCall call) throws Exception {
    try (java.io.InputStream in =
        org.eclipse.jetty.io.Content.Source.asInputStream(call.request())) {
      byte[] b = in.readNBytes(MAX_RING + 1);
      if (b.length > MAX_RING) {
        throw new org.silverlining.node.errors.TooLargeException("a ring is at most 1 MiB");
      }
      return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}

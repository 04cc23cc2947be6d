package org.silverlining.node.admin;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.io.Content;
import org.silverlining.node.api.ApiArea;
import org.silverlining.node.api.ApiCall;
import org.silverlining.node.api.Endpoint;
import org.silverlining.node.api.Params;
import org.silverlining.node.api.Routes;
import org.silverlining.node.errors.TooLargeException;
import org.silverlining.node.tls.Certificates;

/**
 * The HTTPS front's certificates: {@code GET certs} lists them, {@code POST certs/add?host=H} takes
 * a PEM body (chain, then key), {@code POST certs/remove?host=H} removes one.
 */
final class CertsArea implements ApiArea {
  /** The largest PEM body taken: a long chain and a key are a few kilobytes. */
  static final int MAX_BODY = 256 * 1024;

  private final Certificates certificates;

  CertsArea(Certificates certificates) {
    this.certificates = certificates;
  }

  record None() {}

  record HostParams(String host) {
    HostParams {
      Params.required("host", host);
    }
  }

  @Override
  public void addRoutes(Routes routes) {
    routes
        .get("certs", Endpoint.json(None.class, (p, call) -> Map.of("certs", certificates.list())))
        .post(
            "certs/add",
            Endpoint.json(HostParams.class, (p, call) -> certificates.add(p.host(), body(call))))
        .post(
            "certs/remove",
            Endpoint.json(HostParams.class, (p, call) -> certificates.remove(p.host())));
  }

  private static String body(ApiCall call) throws Exception {
    try (InputStream in = Content.Source.asInputStream(call.request())) {
      byte[] b = in.readNBytes(MAX_BODY + 1);
      if (b.length > MAX_BODY) {
        throw new TooLargeException("a certificate and key are at most " + MAX_BODY + " bytes");
      }
      return new String(b, StandardCharsets.US_ASCII);
    }
  }
}

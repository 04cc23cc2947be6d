package org.silverlining.node.admin;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.io.Content;
import org.silverlining.core.AppConfig;
import org.silverlining.core.IniFile;
import org.silverlining.core.InvalidConfigException;
import org.silverlining.node.api.ApiArea;
import org.silverlining.node.api.ApiCall;
import org.silverlining.node.api.Endpoint;
import org.silverlining.node.api.Params;
import org.silverlining.node.api.Routes;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.errors.TooLargeException;
import org.silverlining.node.service.NodesetServices;
import org.silverlining.node.service.ServiceException;
import org.silverlining.node.service.SharedServices;

/**
 * A nodeset's shared services. On the services node: {@code POST services/provide} provisions an
 * app's server-backed services for app servers elsewhere and answers their variables; {@code POST
 * services/replication} and {@code services/replication/drop} prepare and end a streaming replica's
 * slot. On an app server: {@code POST services/shared} keeps what the services node provides for an
 * app, {@code GET services/shared} shows it without the values, {@code POST services/shared/forget}
 * makes the app's services its own again. Credentials travel in bodies and answers only, never in
 * the URL, which logs keep.
 */
final class ServicesArea implements ApiArea {
  /** The largest body taken: an app.ini or the variables of a few services. */
  static final int MAX_BODY = 1 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final NodesetServices services;

  ServicesArea(NodesetServices services) {
    this.services = services;
  }

  record AppParams(String app) {
    AppParams {
      Params.required("app", app);
    }
  }

  record ProvideParams(String app, String host) {
    ProvideParams {
      Params.required("app", app);
      Params.required("host", host);
    }
  }

  record ShareParams(String app, String provider) {
    ShareParams {
      Params.required("app", app);
      Params.required("provider", provider);
    }
  }

  record ReplicaParams(String replica, String from, String host) {
    ReplicaParams {
      Params.required("replica", replica);
    }
  }

  @Override
  public void addRoutes(Routes routes) {
    routes
        .get("services/shared", Endpoint.json(AppParams.class, (p, call) -> shown(p.app())))
        .post("services/shared", Endpoint.json(ShareParams.class, this::keep))
        .post(
            "services/shared/forget",
            Endpoint.json(
                AppParams.class,
                (p, call) -> {
                  services.shared().forget(p.app());
                  return shown(p.app());
                }))
        .post("services/provide", Endpoint.json(ProvideParams.class, this::provide))
        .post("services/replication", Endpoint.json(ReplicaParams.class, this::replication))
        .post(
            "services/replication/drop",
            Endpoint.json(
                ReplicaParams.class,
                (p, call) ->
                    Map.of(
                        "replica",
                        p.replica(),
                        "dropped",
                        services.replication().dropSlot(p.replica()))));
  }

  private Object provide(ProvideParams p, ApiCall call) throws Exception {
    AppConfig config;
    String ini = body(call);
    try {
      config = AppConfig.parse(IniFile.parse("app.ini", ini), false).withAppName(p.app());
    } catch (InvalidConfigException | IllegalArgumentException e) {
      throw new InvalidParameterException("app.ini", e.getMessage());
    }
    return Map.of("app", p.app(), "services", services.provider().provide(config, ini, p.host()));
  }

  private Object keep(ShareParams p, ApiCall call) throws Exception {
    Map<String, Map<String, String>> vars;
    try {
      vars = JSON.readValue(body(call), new TypeReference<Map<String, Map<String, String>>>() {});
    } catch (IOException e) {
      throw new InvalidParameterException(
          "services", "the body must be {SERVICE: {VARIABLE: VALUE}}: " + e.getMessage());
    }
    services.shared().keep(p.app(), p.provider(), vars);
    return shown(p.app());
  }

  private Object shown(String app) throws ServiceException {
    SharedServices.Provided kept = services.shared().load(app);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("app", app);
    out.put("provider", kept.provider());
    out.put("services", kept.variables().keySet());
    return out;
  }

  private Object replication(ReplicaParams p, ApiCall call) throws Exception {
    if (p.from() == null || p.host() == null) {
      throw InvalidParameterException.missing(p.from() == null ? "from" : "host");
    }
    Map<String, String> out =
        new LinkedHashMap<>(services.replication().prepare(p.replica(), p.from()));
    out.putAll(services.replication().primary(p.host()));
    return out;
  }

  private static String body(ApiCall call) throws IOException, TooLargeException {
    byte[] b;
    try (InputStream in = Content.Source.asInputStream(call.request())) {
      b = in.readNBytes(MAX_BODY + 1);
    }
    if (b.length > MAX_BODY) {
      throw new TooLargeException("the body is larger than " + MAX_BODY + " bytes");
    }
    return new String(b, StandardCharsets.UTF_8);
  }
}

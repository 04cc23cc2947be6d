package org.silverlining.node.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Map;
import org.eclipse.jetty.io.Content;
import org.silverlining.node.api.ApiArea;
import org.silverlining.node.api.ApiCall;
import org.silverlining.node.api.Endpoint;
import org.silverlining.node.api.Params;
import org.silverlining.node.api.Routes;
import org.silverlining.node.errors.InvalidRequestException;
import org.silverlining.node.errors.TooLargeException;
import org.silverlining.node.middleware.Middlewares;

/**
 * Middleware packs: those available, each location's packs and their revisions, and the changes —
 * apply, remove, revert. Settings travel in the body of {@code apply} (a JSON object), never in the
 * URL, which logs may keep.
 */
final class MiddlewareArea implements ApiArea {
  /** The largest settings body: an htpasswd file of a few thousand users. */
  static final int MAX_BODY = 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Middlewares middlewares;

  MiddlewareArea(Middlewares middlewares) {
    this.middlewares = middlewares;
  }

  record None() {}

  record LocationParams(String location) {
    LocationParams {
      Params.required("location", location);
    }
  }

  record ApplyParams(String location, String pack, String before) {
    ApplyParams {
      Params.required("location", location);
      Params.required("pack", pack);
      before = Params.optional(before);
    }
  }

  record RemoveParams(String location, String pack) {
    RemoveParams {
      Params.required("location", location);
      Params.required("pack", pack);
    }
  }

  record RevertParams(String location, String revision) {
    RevertParams {
      Params.required("location", location);
      Params.required("revision", revision);
    }
  }

  @Override
  public void addRoutes(Routes routes) {
    routes
        .get(
            "middleware/packs",
            Endpoint.json(None.class, (p, c) -> Map.of("packs", middlewares.available())))
        .post(
            "middleware/packs",
            Endpoint.json(
                None.class,
                (p, c) -> {
                  try (InputStream in = Content.Source.asInputStream(c.request())) {
                    return middlewares.install(in);
                  }
                }))
        .get(
            "middleware",
            Endpoint.json(LocationParams.class, (p, c) -> middlewares.show(p.location())))
        .get(
            "middleware/revisions",
            Endpoint.json(
                LocationParams.class,
                (p, c) ->
                    Map.of(
                        "location",
                        middlewares.show(p.location()).location(),
                        "revisions",
                        middlewares.revisions(p.location()))))
        .post(
            "middleware/apply",
            Endpoint.json(
                ApplyParams.class,
                (p, c) ->
                    middlewares.apply(p.location(), p.pack(), settings(c), p.before(), c.who())))
        .post(
            "middleware/remove",
            Endpoint.json(
                RemoveParams.class, (p, c) -> middlewares.remove(p.location(), p.pack(), c.who())))
        .post(
            "middleware/revert",
            Endpoint.json(
                RevertParams.class,
                (p, c) -> middlewares.revert(p.location(), p.revision(), c.who())));
  }

  /** The body: a JSON object of settings, strings each; none when empty. */
  private static Map<String, String> settings(ApiCall call) throws Exception {
    byte[] body;
    try (InputStream in = Content.Source.asInputStream(call.request())) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      throw new TooLargeException("a pack's settings are at most " + MAX_BODY + " bytes");
    }
    if (body.length == 0) {
      return Map.of();
    }
    try {
      return JSON.readValue(body, new TypeReference<java.util.LinkedHashMap<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(
          "the body is a JSON object of settings, each a string: " + e.getOriginalMessage());
    }
  }
}

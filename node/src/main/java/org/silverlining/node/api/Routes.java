package org.silverlining.node.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.pathmap.ServletPathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The routes of an API under one prefix, as the areas add them: {@code routes.get("logs", e)}
 * answers {@code GET PREFIX/logs}. {@link #handler()} makes them one Jetty {@link
 * PathMappingsHandler}, an exact path each; it declines a path no area added (the caller answers
 * 404) and refuses a method the path does not take ({@link MethodNotAllowedException}).
 */
public final class Routes {
  private final String prefix;
  private final Map<String, Map<String, Endpoint>> byPath = new LinkedHashMap<>();

  /** Routes under {@code prefix}, which ends with a slash. */
  public Routes(String prefix) {
    if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
      throw new IllegalArgumentException("a prefix starts and ends with /: " + prefix);
    }
    this.prefix = prefix;
  }

  public Routes get(String call, Endpoint endpoint) {
    return add("GET", call, endpoint);
  }

  public Routes post(String call, Endpoint endpoint) {
    return add("POST", call, endpoint);
  }

  /** Answers {@code method PREFIX+call} with {@code endpoint}; one endpoint a method and path. */
  public Routes add(String method, String call, Endpoint endpoint) {
    if (call.startsWith("/") || call.endsWith("/")) {
      throw new IllegalArgumentException("a call is relative, without end slash: " + call);
    }
    Endpoint before =
        byPath.computeIfAbsent(prefix + call, p -> new LinkedHashMap<>()).put(method, endpoint);
    if (before != null) {
      throw new IllegalStateException("two routes for " + method + " " + prefix + call);
    }
    return this;
  }

  /** Every route as {@code METHOD PATH}, in the order they were added. */
  public List<String> list() {
    List<String> all = new ArrayList<>();
    byPath.forEach((path, methods) -> methods.keySet().forEach(m -> all.add(m + " " + path)));
    return all;
  }

  /** The routes as one handler. */
  public Handler handler() {
    PathMappingsHandler mappings = new PathMappingsHandler();
    byPath.forEach(
        (path, methods) -> {
          Handler route = new Route(path, Map.copyOf(methods), List.copyOf(methods.keySet()));
          mappings.addMapping(new ServletPathSpec(path), route);
          if (path.equals(prefix)) {
            // the prefix without its end slash is the same call
            mappings.addMapping(new ServletPathSpec(path.substring(0, path.length() - 1)), route);
          }
        });
    return mappings;
  }

  /** One path: its endpoint by method. */
  private static final class Route extends Handler.Abstract {
    private final String path;
    private final Map<String, Endpoint> byMethod;
    private final List<String> allowed;

    Route(String path, Map<String, Endpoint> byMethod, List<String> allowed) {
      this.path = path;
      this.byMethod = byMethod;
      this.allowed = allowed;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      Endpoint endpoint = byMethod.get(request.getMethod());
      if (endpoint == null) {
        throw new MethodNotAllowedException(
            path + " takes " + String.join(" or ", allowed) + ", not " + request.getMethod(),
            allowed);
      }
      endpoint.serve(new ApiCall(request, response, callback));
      return true;
    }
  }
}

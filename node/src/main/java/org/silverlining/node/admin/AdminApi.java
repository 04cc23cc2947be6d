package org.silverlining.node.admin;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.silverlining.node.api.ApiArea;
import org.silverlining.node.api.ApiCall;
import org.silverlining.node.api.ApiErrors;
import org.silverlining.node.api.Routes;
import org.silverlining.node.errors.NotFoundException;
import org.silverlining.node.errors.UnauthorizedException;
import org.silverlining.node.security.SecurityEvent;
import org.silverlining.node.security.SecurityLog;

/**
 * The management API: JSON over HTTP under {@code /api/v1/}, every call with {@code Authorization:
 * Bearer TOKEN}. The routes come from the {@link ApiArea areas} it is given, one handler a path
 * (Jetty's {@code PathMappingsHandler}); {@code docs/api.md} lists them. Calls run on a worker
 * pool, never on the connector's threads. A caller without a valid token learns nothing of the
 * routes (401 before 404); what an endpoint throws is answered by {@link ApiErrors}.
 */
public final class AdminApi extends Handler.Wrapper {
  public static final String PREFIX = "/api/v1/";
  static final String REALM = "silver";

  private final Tokens tokens;
  private final ExecutorService workers;
  private final List<String> routeList;
  private final SecurityLog securityLog;

  /** {@code securityLog}: where calls without a valid token are recorded. */
  public AdminApi(
      Tokens tokens, ExecutorService workers, List<ApiArea> areas, SecurityLog securityLog) {
    this.tokens = tokens;
    this.workers = workers;
    this.securityLog = securityLog;
    Routes routes = new Routes(PREFIX);
    for (ApiArea area : areas) {
      area.addRoutes(routes);
    }
    this.routeList = routes.list();
    setHandler(routes.handler());
  }

  /** Every route, as {@code METHOD PATH}. */
  public List<String> routes() {
    return routeList;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    workers.execute(() -> serve(request, response, callback));
    return true;
  }

  private void serve(Request request, Response response, Callback callback) {
    try {
      String path = Request.getPathInContext(request);
      if (!path.startsWith(PREFIX.substring(0, PREFIX.length() - 1))) {
        throw new NotFoundException("the management API is under " + PREFIX);
      }
      request.setAttribute(ApiCall.WHO, authenticate(request));
      if (!super.handle(request, response, callback)) {
        throw new NotFoundException("no API call " + request.getMethod() + " " + path);
      }
    } catch (Throwable e) {
      ApiErrors.answer(response, callback, e, REALM);
    }
  }

  private String authenticate(Request request) throws IOException {
    String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).strip() : null;
    var who = tokens.verify(token);
    if (who.isPresent()) {
      return who.get();
    }
    if (token != null) {
      // a call without any token is how every client first finds the API; a wrong one is an attempt
      securityLog.record(
          SecurityEvent.of(
              SecurityEvent.Kind.BAD_TOKEN, request, "a token not valid for this node"));
    }
    throw new UnauthorizedException(
        token == null
            ? "a bearer token is required (Authorization: Bearer TOKEN)"
            : "the token is not valid for this node");
  }
}

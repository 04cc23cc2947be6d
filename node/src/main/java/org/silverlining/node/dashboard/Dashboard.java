package org.silverlining.node.dashboard;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.http.pathmap.MatchedResource;
import org.eclipse.jetty.http.pathmap.PathMappings;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.silverlining.node.api.ApiErrors;
import org.silverlining.node.control.AdminUsers;
import org.silverlining.node.errors.NotFoundException;
import org.silverlining.node.errors.RefusedException;
import org.silverlining.node.front.InternalHeaderFilter;
import org.silverlining.node.security.SecurityEvent;
import org.silverlining.node.security.SecurityLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard on the admin listener: every path but the management API's ({@code /api/}) and
 * {@code /metrics}, which go on to the next handler unchanged. A request without a logged-in
 * session is sent to the login form; every {@code POST} must carry the session's CSRF token (and,
 * when the browser says where it comes from, come from this origin) or is refused with 403 and
 * recorded in the {@link SecurityLog}, as are failed and throttled logins (with the user name
 * given, never the password). Pages are HTML in the {@link Shell}, sent with a
 * Content-Security-Policy that allows nothing but this origin's files, and never cached.
 */
public final class Dashboard extends Handler.Wrapper {
  private static final Logger log = LoggerFactory.getLogger(Dashboard.class);
  static final String COOKIE = InternalHeaderFilter.DASHBOARD_COOKIE;
  static final int MAX_FORM_BYTES = 64 * 1024;
  static final String HTML = "text/html; charset=utf-8";

  private final AdminUsers users;
  private final Sessions sessions;
  private final LoginThrottle throttle;
  private final SecurityLog security;
  private final ExecutorService workers;
  private final Shell shell;
  private final PathMappings<PageRoutes.Route> routes;
  private final Map<String, PageRoutes.Asset> assets;
  private final List<String> routeList;

  public Dashboard(
      AdminUsers users,
      DashboardSettings settings,
      SecurityLog security,
      ExecutorService workers,
      String node,
      String version,
      List<DashboardArea> areas,
      Clock clock,
      Handler next) {
    super(next);
    this.users = users;
    this.sessions = new Sessions(settings, clock);
    this.throttle = new LoginThrottle(clock);
    this.security = security;
    this.workers = workers;
    PageRoutes r = new PageRoutes();
    r.asset(
        "dashboard.css",
        "text/css; charset=utf-8",
        "org/silverlining/node/dashboard/dashboard.css");
    r.asset(
        "dashboard.js",
        "text/javascript; charset=utf-8",
        "org/silverlining/node/dashboard/dashboard.js");
    for (DashboardArea area : areas) {
      area.addPages(r);
    }
    this.routes = r.mappings();
    this.assets = r.assets();
    this.routeList = r.list();
    this.shell = new Shell(node, version, r.navigation());
  }

  /** Every page and action route, as {@code METHOD TEMPLATE}. */
  public List<String> routes() {
    return routeList;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    if (path.equals("/api") || path.startsWith("/api/") || path.equals("/metrics")) {
      return super.handle(request, response, callback);
    }
    workers.execute(() -> serve(request, response, callback, path));
    return true;
  }

  private void serve(Request request, Response response, Callback callback, String path) {
    try {
      secureHeaders(response);
      if (path.startsWith("/static/")) {
        asset(request, response, callback, path.substring("/static/".length()));
      } else if (path.equals("/login")) {
        login(request, response, callback);
      } else if (path.equals("/logout")) {
        logout(request, response, callback);
      } else {
        page(request, response, callback, path);
      }
    } catch (Throwable e) {
      if (response.isCommitted()) {
        callback.failed(e);
        return;
      }
      int status = ApiErrors.statusOf(e);
      if (status == 500) {
        log.warn("a dashboard page failed: {}", path, e);
      }
      html(
          response,
          callback,
          status,
          shell.bare("Error " + status, message(ApiErrors.messageOf(e))));
    }
  }

  // --- pages

  private void page(Request request, Response response, Callback callback, String path)
      throws Exception {
    boolean post = request.getMethod().equals("POST");
    if (!post && !request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, POST");
      html(
          response,
          callback,
          405,
          shell.bare(
              "Not allowed", message(request.getMethod() + " is not a method of the dashboard")));
      return;
    }
    Optional<Sessions.Session> session = userSession(request);
    if (session.isEmpty()) {
      if (post) {
        refuse(request, response, callback, "POST " + path + " without a logged-in session");
      } else {
        redirect(
            request,
            response,
            callback,
            "/login"
                + (path.equals("/")
                    ? ""
                    : "?next=" + java.net.URLEncoder.encode(path, StandardCharsets.UTF_8)));
      }
      return;
    }
    Sessions.Session s = session.get();
    MatchedResource<PageRoutes.Route> matched = routes.getMatched(path);
    PageRoutes.Route route = matched == null ? null : matched.getResource();
    Map<String, String> params =
        matched == null
            ? Map.of()
            : ((UriTemplatePathSpec) matched.getPathSpec()).getPathParams(path);
    if (post) {
      Fields form = form(request);
      if (!checkPost(request, response, callback, s, form, path)) {
        return;
      }
      if (route == null || route.action == null) {
        throw new NotFoundException("no action at " + path);
      }
      PageRequest pr = new PageRequest(request, response, callback, s, params, form, () -> live(s));
      String next;
      try {
        next = route.action.act(pr);
      } catch (RefusedException e) {
        s.flash("Refused: " + e.getMessage());
        next = localPath(request.getHeaders().get(HttpHeader.REFERER), "/");
        redirect(request, response, callback, next);
        return;
      }
      redirect(request, response, callback, next);
      return;
    }
    if (route == null || (route.view == null && route.raw == null)) {
      html(
          response,
          callback,
          404,
          shell.page(
              new Page("Not found", message("There is no page " + path + ".")),
              s,
              path,
              null,
              false));
      return;
    }
    PageRequest pr =
        new PageRequest(request, response, callback, s, params, Fields.EMPTY, () -> live(s));
    if (route.raw != null) {
      route.raw.serve(pr);
      return;
    }
    Page page;
    try {
      page = route.view.render(pr);
    } catch (RefusedException e) {
      int status = ApiErrors.statusOf(e);
      html(
          response,
          callback,
          status,
          shell.page(new Page("Error " + status, message(e.getMessage())), s, path, null, false));
      return;
    }
    String flash = s.takeFlash();
    boolean error = flash != null && flash.startsWith("Refused: ");
    html(response, callback, 200, shell.page(page, s, path, flash, error));
  }

  /** The CSRF token and the origin of a POST; false when refused (answered). */
  private boolean checkPost(
      Request request,
      Response response,
      Callback callback,
      Sessions.Session s,
      Fields form,
      String path)
      throws Exception {
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    if (origin != null && !origin.equals(originOf(request))) {
      refuse(request, response, callback, "POST " + path + " from origin " + origin);
      return false;
    }
    String token = form.getValue(PageRequest.CSRF_FIELD);
    if (token == null) {
      // a multipart upload carries the token in the action's query
      token = Request.extractQueryParameters(request).getValue(PageRequest.CSRF_FIELD);
    }
    if (!s.csrfMatches(token)) {
      refuse(
          request,
          response,
          callback,
          "POST " + path + (token == null ? " without a CSRF token" : " with a wrong CSRF token"));
      return false;
    }
    return true;
  }

  /** Whether {@code s} is still a logged-in user's session, without counting it as a request. */
  private boolean live(Sessions.Session s) {
    try {
      return sessions.live(s) && users.exists(s.user());
    } catch (Exception e) {
      log.warn("dashboard: cannot check the session of {}: {}", s.user(), e.toString());
      return false;
    }
  }

  private Optional<Sessions.Session> userSession(Request request) throws Exception {
    Optional<Sessions.Session> s = session(request);
    if (s.isEmpty() || s.get().user() == null) {
      return Optional.empty();
    }
    if (!users.exists(s.get().user())) {
      sessions.removeUser(s.get().user());
      return Optional.empty();
    }
    return s;
  }

  // --- login and logout

  private void login(Request request, Response response, Callback callback) throws Exception {
    String next = localPath(Request.extractQueryParameters(request).getValue("next"), "/");
    if (request.getMethod().equals("GET") || request.getMethod().equals("HEAD")) {
      if (userSession(request).isPresent()) {
        redirect(request, response, callback, next);
        return;
      }
      Sessions.Session form = session(request).filter(x -> x.user() == null).orElse(null);
      if (form == null) {
        form = sessions.create(null);
        setCookie(request, response, form.id());
      }
      html(response, callback, 200, loginPage(form, next, null));
      return;
    }
    if (!request.getMethod().equals("POST")) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, POST");
      html(
          response,
          callback,
          405,
          shell.bare("Not allowed", message("the login form takes GET or POST")));
      return;
    }
    String client = Request.getRemoteAddr(request);
    Fields form = form(request);
    Sessions.Session pre = session(request).filter(x -> x.user() == null).orElse(null);
    if (pre == null) {
      // an expired form, or a post that did not come from it: a fresh form, nothing checked
      security.record(
          SecurityEvent.of(
              SecurityEvent.Kind.REFUSED,
              request,
              "dashboard: a login without the login form's session"));
      pre = sessions.create(null);
      setCookie(request, response, pre.id());
      html(
          response,
          callback,
          403,
          loginPage(pre, next, "The login form had expired. Please log in again."));
      return;
    }
    if (!checkPost(request, response, callback, pre, form, "/login")) {
      return;
    }
    String name = form.getValue("username");
    String password = form.getValue("password");
    Optional<Duration> wait = throttle.wait(client, name);
    if (wait.isPresent()) {
      security.record(
          SecurityEvent.of(
                  SecurityEvent.Kind.RATE_LIMIT, request, "dashboard: too many failed logins")
              .withUser(name));
      long minutes = Math.max(1, (wait.get().toSeconds() + 59) / 60);
      response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(wait.get().toSeconds() + 1));
      html(
          response,
          callback,
          429,
          loginPage(
              pre,
              next,
              "Too many failed logins. Try again in "
                  + minutes
                  + (minutes == 1 ? " minute." : " minutes.")));
      return;
    }
    char[] chars = password == null ? new char[0] : password.toCharArray();
    AdminUsers.Login outcome;
    try {
      outcome = users.login(name, chars, form.getValue("totp"));
    } finally {
      Arrays.fill(chars, '\0');
    }
    if (outcome.user().isEmpty()) {
      throttle.failed(client, name);
      security.record(
          SecurityEvent.of(
                  SecurityEvent.Kind.BAD_LOGIN,
                  request,
                  "dashboard: "
                      + outcome
                          .refusal()
                          .name()
                          .toLowerCase(java.util.Locale.ROOT)
                          .replace('_', ' '))
              .withUser(name));
      html(
          response,
          callback,
          401,
          loginPage(pre, next, "The user name, password or code is not right."));
      return;
    }
    throttle.succeeded(name);
    sessions.remove(pre.id());
    Sessions.Session s = sessions.create(outcome.user().get());
    setCookie(request, response, s.id());
    log.info("dashboard: {} logged in from {}", name, client);
    redirect(request, response, callback, next);
  }

  private String loginPage(Sessions.Session form, String next, String error) throws Exception {
    Html h = new Html();
    if (error != null) {
      h.element("p", error, "class", "flash error", "role", "alert", "id", "login-error");
    }
    h.open(
        "form",
        "method",
        "post",
        "action",
        next.equals("/")
            ? "/login"
            : "/login?next=" + java.net.URLEncoder.encode(next, StandardCharsets.UTF_8),
        "class",
        "login",
        "aria-describedby",
        error == null ? null : "login-error");
    h.empty("input", "type", "hidden", "name", PageRequest.CSRF_FIELD, "value", form.csrf());
    h.open("p").element("label", "User name", "for", "username");
    h.empty(
            "input",
            "id",
            "username",
            "name",
            "username",
            "type",
            "text",
            "autocomplete",
            "username",
            "autocapitalize",
            "none",
            "spellcheck",
            "false",
            "required",
            "required",
            "autofocus",
            "autofocus")
        .close();
    h.open("p").element("label", "Password", "for", "password");
    h.empty(
            "input",
            "id",
            "password",
            "name",
            "password",
            "type",
            "password",
            "autocomplete",
            "current-password",
            "required",
            "required")
        .close();
    if (users.anyTotp()) {
      h.open("p")
          .element("label", "Code from the authenticator app (if you set one up)", "for", "totp");
      h.empty(
              "input",
              "id",
              "totp",
              "name",
              "totp",
              "type",
              "text",
              "inputmode",
              "numeric",
              "autocomplete",
              "one-time-code",
              "pattern",
              "[0-9 ]*",
              "maxlength",
              "8")
          .close();
    }
    h.open("p").element("button", "Log in", "type", "submit").close();
    h.close();
    return shell.bare("Log in", h);
  }

  private void logout(Request request, Response response, Callback callback) throws Exception {
    if (!request.getMethod().equals("POST")) {
      response.getHeaders().put(HttpHeader.ALLOW, "POST");
      html(
          response,
          callback,
          405,
          shell.bare("Not allowed", message("log out with the button (a POST)")));
      return;
    }
    Optional<Sessions.Session> s = userSession(request);
    if (s.isEmpty()) {
      refuse(request, response, callback, "POST /logout without a logged-in session");
      return;
    }
    if (!checkPost(request, response, callback, s.get(), form(request), "/logout")) {
      return;
    }
    sessions.remove(s.get().id());
    log.info("dashboard: {} logged out from {}", s.get().user(), Request.getRemoteAddr(request));
    Response.addCookie(response, cookie(request, "", 0));
    redirect(request, response, callback, "/login");
  }

  // --- answers

  private void refuse(Request request, Response response, Callback callback, String detail) {
    security.record(SecurityEvent.of(SecurityEvent.Kind.REFUSED, request, "dashboard: " + detail));
    html(
        response,
        callback,
        403,
        shell.bare(
            "Refused",
            message(
                "This request was refused: it did not come from a form of this dashboard, or your session has ended. Go back, reload the page and try again.")));
  }

  private static Html message(String text) {
    return new Html()
        .element("p", text)
        .open("p")
        .element("a", "Back to the overview", "href", "/")
        .close();
  }

  private void asset(Request request, Response response, Callback callback, String name) {
    PageRoutes.Asset a = assets.get(name);
    if (a == null) {
      response.setStatus(404);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      response.write(
          true,
          ByteBuffer.wrap(("no asset " + name + "\n").getBytes(StandardCharsets.UTF_8)),
          callback);
      return;
    }
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, a.contentType());
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "private, max-age=300");
    response.write(true, ByteBuffer.wrap(a.bytes()), callback);
  }

  private static void html(Response response, Callback callback, int status, String page) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, HTML);
    response.write(true, ByteBuffer.wrap(page.getBytes(StandardCharsets.UTF_8)), callback);
  }

  private static void redirect(Request request, Response response, Callback callback, String to) {
    Response.sendRedirect(request, response, callback, 303, to, true);
  }

  /** Headers on every answer of the dashboard. */
  private static void secureHeaders(Response response) {
    var h = response.getHeaders();
    h.put(
        "Content-Security-Policy",
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    h.put("X-Frame-Options", "DENY");
    h.put("X-Content-Type-Options", "nosniff");
    h.put("Referrer-Policy", "same-origin");
    h.put(HttpHeader.CACHE_CONTROL, "no-store");
  }

  private static Fields form(Request request) throws Exception {
    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (type == null
        || !MimeTypes.getContentTypeWithoutCharset(type)
            .equalsIgnoreCase("application/x-www-form-urlencoded")) {
      return Fields.EMPTY;
    }
    return FormFields.getFields(request, 256, MAX_FORM_BYTES);
  }

  /**
   * The live session of this request's session cookie. Every cookie of that name is tried: a
   * browser also sends one that another port of the host (an app) may have set.
   */
  private Optional<Sessions.Session> session(Request request) {
    for (HttpCookie c : Request.getCookies(request)) {
      if (c.getName().equals(COOKIE)) {
        Optional<Sessions.Session> s = sessions.find(c.getValue());
        if (s.isPresent()) {
          return s;
        }
      }
    }
    return Optional.empty();
  }

  private static void setCookie(Request request, Response response, String id) {
    Response.addCookie(response, cookie(request, id, -1));
  }

  private static HttpCookie cookie(Request request, String value, long maxAge) {
    return HttpCookie.build(COOKIE, value)
        .path("/")
        .httpOnly(true)
        .secure(request.isSecure())
        .sameSite(HttpCookie.SameSite.STRICT)
        .maxAge(maxAge)
        .build();
  }

  /** {@code scheme://host[:port]} of this request, as a browser writes it in {@code Origin}. */
  private static String originOf(Request request) {
    HttpURI uri = request.getHttpURI();
    int port = uri.getPort();
    boolean usual =
        port <= 0
            || (uri.getScheme().equals("http") && port == 80)
            || (uri.getScheme().equals("https") && port == 443);
    return uri.getScheme() + "://" + uri.getHost() + (usual ? "" : ":" + port);
  }

  /**
   * {@code path} when it is a path of this site (not {@code //host} or a URL), else {@code
   * fallback}.
   */
  static String localPath(String path, String fallback) {
    if (path == null) {
      return fallback;
    }
    if (path.startsWith("http://") || path.startsWith("https://")) {
      try {
        HttpURI u = HttpURI.from(path);
        path = u.getPathQuery();
      } catch (IllegalArgumentException e) {
        return fallback;
      }
    }
    if (path == null
        || !path.startsWith("/")
        || path.startsWith("//")
        || path.startsWith("/\\")
        || path.startsWith("/login")
        || path.startsWith("/logout")) {
      return fallback;
    }
    return path;
  }
}

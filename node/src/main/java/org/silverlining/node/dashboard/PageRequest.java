package org.silverlining.node.dashboard;

import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.silverlining.node.errors.InvalidParameterException;

/**
 * A logged-in user's request as a page, action or raw endpoint sees it: who, the path's and the
 * query's parameters, the form of a {@code POST}, the session's CSRF token for the forms a page
 * writes, and a message for the next page.
 */
public final class PageRequest {
  /** The name of the form field that carries the CSRF token. */
  public static final String CSRF_FIELD = "csrf";

  private final Request request;
  private final Response response;
  private final Callback callback;
  private final Sessions.Session session;
  private final Map<String, String> pathParams;
  private final Fields form;
  private final java.util.function.BooleanSupplier live;

  PageRequest(
      Request request,
      Response response,
      Callback callback,
      Sessions.Session session,
      Map<String, String> pathParams,
      Fields form,
      java.util.function.BooleanSupplier live) {
    this.live = live;
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.session = session;
    this.pathParams = pathParams;
    this.form = form;
  }

  /** The logged-in admin user. */
  public String user() {
    return session.user();
  }

  /** The session's CSRF token, for a form that is not written with {@link #postForm}. */
  public String csrfToken() {
    return session.csrf();
  }

  /** The value of {@code {name}} in the route's template. */
  public String path(String name) {
    String v = pathParams.get(name);
    if (v == null) {
      throw new IllegalArgumentException("the route has no {" + name + "}");
    }
    return v;
  }

  /** A query parameter, or null. */
  public String query(String name) {
    return Request.extractQueryParameters(request).getValue(name);
  }

  /** A field of the posted form, or null (an action's request only). */
  public String field(String name) {
    return form.getValue(name);
  }

  /** A field of the posted form that must be there. */
  public String requiredField(String name) {
    String v = field(name);
    if (v == null || v.isBlank()) {
      throw InvalidParameterException.missing(name);
    }
    return v;
  }

  /** Shows {@code message} on the next page this user sees (an action's outcome). */
  public void flash(String message) {
    session.flash(message);
  }

  /** Keeps {@code value} in the session (not in a URL); the key {@link #held} finds it by. */
  public String hold(String value) {
    return session.hold(value);
  }

  /** What {@link #hold} kept under {@code key} in this session, or null. */
  public String held(String key) {
    return session.held(key);
  }

  /** Forgets what {@link #hold} kept under {@code key}. */
  public void release(String key) {
    session.release(key);
  }

  /** Whether the session is still live (not logged out, not expired), without touching it. */
  public boolean sessionLive() {
    return live.getAsBoolean();
  }

  /**
   * Opens a {@code <form method="post">} to {@code action} with the CSRF token in it; the caller
   * writes the fields and buttons and closes it.
   */
  public Html postForm(Html html, String action, String... attributes) {
    String[] all = new String[attributes.length + 4];
    all[0] = "method";
    all[1] = "post";
    all[2] = "action";
    all[3] = action;
    System.arraycopy(attributes, 0, all, 4, attributes.length);
    html.open("form", all);
    return html.empty("input", "type", "hidden", "name", CSRF_FIELD, "value", session.csrf());
  }

  public Request request() {
    return request;
  }

  public Response response() {
    return response;
  }

  public Callback callback() {
    return callback;
  }
}

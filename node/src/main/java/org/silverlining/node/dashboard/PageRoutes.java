package org.silverlining.node.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.pathmap.PathMappings;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;

/**
 * The dashboard's routes as its areas add them. A path is a URI template: {@code /apps/{app}}
 * matches {@code /apps/blog} and gives {@code app} to {@link PageRequest#path(String)}.
 *
 * <ul>
 *   <li>{@link #page}: a {@code GET} answered with a page in the dashboard's shell;
 *   <li>{@link #action}: a {@code POST} from a form of the dashboard; its CSRF token is checked
 *       before the action runs, which then names the page to go to (303, POST/redirect/GET);
 *   <li>{@link #raw}: a {@code GET} the endpoint answers itself (server-sent events, JSON for a
 *       graph), for a logged-in user;
 *   <li>{@link #nav}: a link in the shell's navigation;
 *   <li>{@link #asset}: a file of the classpath served under {@code /static/NAME}.
 * </ul>
 */
public final class PageRoutes {
  /** Views, actions and raw endpoints of one path. */
  static final class Route {
    final String template;
    PageView view;
    PageAction action;
    RawEndpoint raw;

    Route(String template) {
      this.template = template;
    }
  }

  /** An asset: its type and bytes. */
  record Asset(String contentType, byte[] bytes) {}

  /** A link of the navigation. */
  record NavLink(String label, String href) {}

  private final Map<String, Route> routes = new LinkedHashMap<>();
  private final Map<String, Asset> assets = new LinkedHashMap<>();
  private final List<NavLink> nav = new ArrayList<>();

  public PageRoutes page(String template, PageView view) {
    Route r = route(template);
    if (r.view != null || r.raw != null) {
      throw new IllegalStateException("two GET routes for " + template);
    }
    r.view = view;
    return this;
  }

  public PageRoutes action(String template, PageAction action) {
    Route r = route(template);
    if (r.action != null) {
      throw new IllegalStateException("two POST routes for " + template);
    }
    r.action = action;
    return this;
  }

  public PageRoutes raw(String template, RawEndpoint endpoint) {
    Route r = route(template);
    if (r.view != null || r.raw != null) {
      throw new IllegalStateException("two GET routes for " + template);
    }
    r.raw = endpoint;
    return this;
  }

  public PageRoutes nav(String label, String href) {
    nav.add(new NavLink(label, href));
    return this;
  }

  /**
   * Serves the classpath resource {@code resource} (e.g. a webjar's file) as {@code /static/NAME},
   * read once now.
   */
  public PageRoutes asset(String name, String contentType, String resource) {
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("an asset's name is a file name: " + name);
    }
    try (InputStream in = PageRoutes.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no resource " + resource + " for the asset " + name);
      }
      assets.put(name, new Asset(contentType, in.readAllBytes()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return this;
  }

  private Route route(String template) {
    if (!template.startsWith("/")) {
      throw new IllegalArgumentException("a page's path starts with /: " + template);
    }
    if (template.equals("/login")
        || template.equals("/logout")
        || template.startsWith("/static/")
        || template.startsWith("/api/")
        || template.equals("/metrics")) {
      throw new IllegalArgumentException(template + " is the dashboard's own");
    }
    return routes.computeIfAbsent(template, Route::new);
  }

  PathMappings<Route> mappings() {
    PathMappings<Route> m = new PathMappings<>();
    routes.forEach((template, r) -> m.put(new UriTemplatePathSpec(template), r));
    return m;
  }

  Map<String, Asset> assets() {
    return Map.copyOf(assets);
  }

  List<NavLink> navigation() {
    return List.copyOf(nav);
  }

  /** Every route as {@code METHOD TEMPLATE}, in the order they were added. */
  List<String> list() {
    List<String> all = new ArrayList<>();
    routes.forEach(
        (t, r) -> {
          if (r.view != null || r.raw != null) {
            all.add("GET " + t);
          }
          if (r.action != null) {
            all.add("POST " + t);
          }
        });
    return all;
  }
}

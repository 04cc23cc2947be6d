package org.silverlining.node.dashboard;

import java.util.List;

/**
 * The frame of every page: the head (one stylesheet, the dashboard's script, a page's own), a link
 * to skip to the content, the banner with the navigation and the logout button, the page's {@code
 * <main>} with its heading and the message an action left, and the footer.
 */
final class Shell {
  static final String STYLESHEET = "/static/dashboard.css";
  static final String SCRIPT = "/static/dashboard.js";

  private final String node;
  private final String version;
  private final List<PageRoutes.NavLink> nav;

  Shell(String node, String version, List<PageRoutes.NavLink> nav) {
    this.node = node;
    this.version = version;
    this.nav = nav;
  }

  /** A logged-in user's page; {@code current} is the path shown (its link is marked current). */
  String page(Page page, Sessions.Session session, String current, String flash, boolean error) {
    Html h = head(page.title(), page.scripts());
    h.open("header", "class", "banner");
    h.element("a", "silver · " + node, "class", "brand", "href", "/");
    h.open("nav", "aria-label", "Main").open("ul");
    for (PageRoutes.NavLink link : nav) {
      boolean here = link.href().equals(current);
      h.open("li")
          .element("a", link.label(), "href", link.href(), "aria-current", here ? "page" : null)
          .close();
    }
    h.close().close();
    h.open("form", "method", "post", "action", "/logout", "class", "logout");
    h.empty("input", "type", "hidden", "name", PageRequest.CSRF_FIELD, "value", session.csrf());
    h.element("button", "Log out " + session.user(), "type", "submit");
    h.close();
    h.close(); // header
    h.open("main", "id", "main", "tabindex", "-1");
    h.element("h1", page.title());
    if (flash != null) {
      h.element(
          "p", flash, "class", error ? "flash error" : "flash", "role", error ? "alert" : "status");
    }
    h.append(page.main());
    h.close();
    return foot(h);
  }

  /** A page for someone not logged in (the login form). */
  String bare(String title, Html main) {
    Html h = head(title, List.of());
    h.open("main", "id", "main", "class", "bare", "tabindex", "-1");
    h.element("h1", title);
    h.append(main);
    h.close();
    return foot(h);
  }

  private Html head(String title, List<String> scripts) {
    Html h = new Html();
    h.trusted("<!DOCTYPE html>");
    h.open("html", "lang", "en").open("head");
    h.empty("meta", "charset", "utf-8");
    h.empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1");
    h.element("title", title + " · silver " + node);
    h.empty("link", "rel", "stylesheet", "href", STYLESHEET);
    h.element("script", "", "src", SCRIPT, "defer", "defer");
    for (String s : scripts) {
      h.element("script", "", "src", s, "defer", "defer");
    }
    h.close(); // head
    h.open("body");
    h.element("a", "Skip to content", "class", "skip", "href", "#main");
    return h;
  }

  private String foot(Html h) {
    h.open("footer").text("silver node " + node + " · version " + version).close();
    h.close().close(); // body, html
    return h.toString();
  }
}

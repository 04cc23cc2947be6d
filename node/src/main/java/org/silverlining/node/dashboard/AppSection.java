package org.silverlining.node.dashboard;

import java.util.List;
import java.util.Map;

/**
 * One section of an app's page ({@link AppPage}): a {@code <section>} whose id is the page's anchor
 * for it, with its heading and what it shows of {@link AppPageData}. The pieces sections write with
 * (tables, times, action forms) are here, so that every section draws them alike.
 */
abstract class AppSection {
  final Html h;
  final AppPageData d;
  final String csrf;
  private final String id;
  private final String title;

  AppSection(Html h, AppPageData d, String csrf, String id, String title) {
    this.h = h;
    this.d = d;
    this.csrf = csrf;
    this.id = id;
    this.title = title;
  }

  /** Writes the section, heading and all. */
  final void write() {
    h.open("section", "id", id, "aria-labelledby", id + "-h");
    h.element("h2", title, "id", id + "-h");
    body();
    h.close();
  }

  /** Writes what the section shows, below its heading. */
  abstract void body();

  /** Writes the part's problem when there is one, which is then all the section shows. */
  boolean problem(AppPageData.Part<?> part) {
    if (part.problem() == null) {
      return false;
    }
    h.element("p", part.problem(), "class", "problem");
    return true;
  }

  void tableHead(String... columns) {
    h.open("div", "class", "table-wrap").open("table").open("thead").open("tr");
    for (String c : columns) {
      h.element("th", c, "scope", "col");
    }
    h.close().close().open("tbody");
  }

  void tableEnd() {
    h.close().close().close();
  }

  void cell(Object value) {
    h.element("td", value == null ? "" : value.toString());
  }

  void timeCell(Object iso) {
    h.open("td");
    time(iso);
    h.close();
  }

  void time(Object iso) {
    if (iso == null) {
      return;
    }
    String s = iso.toString();
    h.element(
        "time",
        s.length() >= 19 ? s.substring(0, 10) + " " + s.substring(11, 19) : s,
        "datetime",
        s);
  }

  /** The button of {@code a} about {@code params}, which asks for confirmation first. */
  void action(AppAction a, Map<String, String> params) {
    AppActions.form(h, d.app(), a, params, csrf, false);
  }

  static String str(Object o) {
    return o == null ? "" : o.toString();
  }

  /** {@code b} without the ", " that ends it. */
  static String trimComma(StringBuilder b) {
    return b.length() >= 2 ? b.substring(0, b.length() - 2) : b.toString();
  }

  static List<String> strings(Object list) {
    return ((List<?>) list).stream().map(String::valueOf).toList();
  }
}

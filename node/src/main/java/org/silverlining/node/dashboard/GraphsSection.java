package org.silverlining.node.dashboard;

import java.util.List;

/**
 * The app page's graphs of the location's traffic and resources over a span the reader picks, drawn
 * by the page's script from {@link GraphSeries}.
 */
final class GraphsSection extends AppSection {
  /** The graphs, in the order shown: hook and caption. */
  private static final List<List<String>> GRAPHS =
      List.of(
          List.of("requests", "Requests per second"),
          List.of("latency", "Latency p50 / p95 / p99 (ms)"),
          List.of("errors", "Server errors (5xx) per second"),
          List.of("cpu", "CPU (cores used)"),
          List.of("memory", "Memory (RSS, MiB)"));

  private final String span;

  GraphsSection(Html h, AppPageData d, String csrf, String span) {
    super(h, d, csrf, "graphs", "Traffic and resources");
    this.span = span;
  }

  @Override
  void body() {
    h.open("nav", "class", "spans", "aria-label", "Time span");
    for (String s : GraphSeries.SPAN_NAMES) {
      if (s.equals(span)) {
        h.element("strong", s, "aria-current", "true");
      } else {
        h.element("a", s, "href", AppPage.path(d.app(), d.location()) + "&span=" + s + "#graphs");
      }
      h.text(" ");
    }
    h.close();
    h.open("div", "class", "graphs", "data-graphs", GraphSeries.path(d.app(), d.location(), span));
    for (List<String> g : GRAPHS) {
      h.open("figure", "data-graph", g.get(0)).element("figcaption", g.get(1)).close();
    }
    h.close();
    h.open("noscript")
        .text("The graphs need JavaScript; ")
        .element("code", "silver stats " + d.location())
        .text(" shows the same figures.")
        .close();
  }
}

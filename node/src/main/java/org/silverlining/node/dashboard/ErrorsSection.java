package org.silverlining.node.dashboard;

import java.util.List;
import java.util.Map;

/** The app page's error groups reported by the location's live instance, each with a sample. */
final class ErrorsSection extends AppSection {
  ErrorsSection(Html h, AppPageData d, String csrf) {
    super(h, d, csrf, "errors", "Error groups");
  }

  @Override
  void body() {
    AppPageData.Part<Map<String, Object>> part = d.errors();
    if (problem(part)) {
      return;
    }
    List<?> groups = (List<?>) part.value().get("groups");
    if (groups.isEmpty()) {
      h.element("p", "No errors reported by the live instance.");
    } else {
      tableHead("Error", "Kind", "Count", "First seen", "Last seen");
      for (Object o : groups) {
        Map<?, ?> g = (Map<?, ?>) o;
        h.open("tr").open("th", "scope", "row").open("details");
        h.element("summary", g.get("type") + ": " + g.get("message"));
        h.element("pre", str(g.get("sample")));
        h.close().close();
        cell(g.get("kind"));
        cell(g.get("count"));
        timeCell(g.get("first_seen"));
        timeCell(g.get("last_seen"));
        h.close();
      }
      tableEnd();
    }
  }
}

package org.silverlining.node.dashboard;

import java.util.List;
import java.util.Map;

/**
 * The app page's locations: each with its live and previous instance and its URLs; the one the page
 * is about is marked, the others link to their page.
 */
final class LocationsSection extends AppSection {
  LocationsSection(Html h, AppPageData d, String csrf) {
    super(h, d, csrf, "locations", "Locations");
  }

  @Override
  void body() {
    if (d.locations().isEmpty()) {
      h.element("p", d.app() + " serves no location on this node.");
    } else {
      tableHead("Location", "Live instance", "Previous", "URLs");
      for (Map<String, Object> l : d.locations()) {
        String loc = (String) l.get("location");
        h.open("tr").open("th", "scope", "row");
        if (loc.equals(d.location())) {
          h.element("strong", loc, "aria-current", "true");
        } else {
          h.element("a", loc, "href", AppPage.path(d.app(), loc));
        }
        h.close();
        cell(l.get("active"));
        cell(l.get("previous"));
        h.open("td");
        for (Object u : (List<?>) l.get("urls")) {
          h.element("a", u.toString(), "href", u.toString()).text(" ");
        }
        h.close().close();
      }
      tableEnd();
    }
  }
}

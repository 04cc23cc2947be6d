package org.silverlining.node.dashboard;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.silverlining.core.FileDiff;
import org.silverlining.node.control.Releases;

/**
 * The files that differ between two deployments of a location, as {@code silver diff} lists them.
 */
final class DiffPage {
  private DiffPage() {}

  static Html render(String app, Releases.Manifest a, Releases.Manifest b) {
    List<FileDiff.Change> changes = FileDiff.between(facts(a), facts(b));
    Html h = new Html();
    h.open("p")
        .text("From ")
        .element("strong", a.instance())
        .text(" to ")
        .element("strong", b.instance())
        .text(" at " + a.location() + ": ")
        .text(changes.isEmpty() ? "no file differs." : changes.size() + " file(s) differ.")
        .close();
    if (!changes.isEmpty()) {
      h.open("div", "class", "table-wrap")
          .open("table", "data-diff", "files")
          .open("thead")
          .open("tr");
      for (String c : List.of("Change", "File", "Size before", "Size after")) {
        h.element("th", c, "scope", "col");
      }
      h.close().close().open("tbody");
      for (FileDiff.Change c : changes) {
        h.open("tr", "class", c.kind());
        h.element("td", c.kind());
        h.element("th", c.path(), "scope", "row");
        h.element("td", c.before() == null ? "" : AppPage.bytes(c.before().size()));
        h.element("td", c.after() == null ? "" : AppPage.bytes(c.after().size()));
        h.close();
      }
      h.close().close().close();
    }
    h.open("p")
        .element("a", "Back to " + app, "href", AppPage.path(app, a.location()) + "#deployments")
        .close();
    return h;
  }

  private static Map<String, FileDiff.Facts> facts(Releases.Manifest m) {
    Map<String, FileDiff.Facts> out = new TreeMap<>();
    for (Object o : m.files()) {
      Map<?, ?> f = (Map<?, ?>) o;
      out.put(
          String.valueOf(f.get("path")),
          new FileDiff.Facts(
              ((Number) f.get("size")).longValue(), String.valueOf(f.get("sha256"))));
    }
    return out;
  }
}

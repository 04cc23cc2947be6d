package org.silverlining.node.dashboard;

import java.util.Map;
import org.silverlining.node.control.ConfigView;

/** The app page's configuration revisions, with revert for each but the current one. */
final class ConfigSection extends AppSection {
  ConfigSection(Html h, AppPageData d, String csrf) {
    super(h, d, csrf, "config", "Configuration revisions");
  }

  @Override
  void body() {
    AppPageData.Part<ConfigView.History> part = d.config();
    if (problem(part)) {
      return;
    }
    ConfigView.History c = part.value();
    if (c.revisions().isEmpty()) {
      h.open("p")
          .text("No configuration uploaded (")
          .element("code", "silver update --config")
          .text(").")
          .close();
    } else {
      tableHead("Revision", "Who", "When", "Message", "Files", "");
      for (ConfigView.RevisionEntry r : c.revisions()) {
        boolean current = r.revision() == c.current();
        h.open("tr", "class", current ? "live" : null)
            .open("th", "scope", "row")
            .text(String.valueOf(r.revision()));
        if (current) {
          h.text(" ").element("span", "current", "class", "status ok");
        }
        h.close();
        cell(r.who());
        timeCell(r.when());
        cell(r.message());
        cell(r.files());
        h.open("td");
        if (!current) {
          action(
              AppAction.REVERT,
              Map.of("location", d.location(), "revision", String.valueOf(r.revision())));
        }
        h.close().close();
      }
      tableEnd();
    }
  }
}

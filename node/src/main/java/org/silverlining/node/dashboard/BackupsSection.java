package org.silverlining.node.dashboard;

import java.util.List;
import java.util.Map;

/** The app page's backups: the schedule, back-up-now and the checkpoints and backups kept. */
final class BackupsSection extends AppSection {
  BackupsSection(Html h, AppPageData d, String csrf) {
    super(h, d, csrf, "backups", "Checkpoints and backups");
  }

  @Override
  void body() {
    AppPageData.Part<Map<String, Object>> part = d.backups();
    if (problem(part)) {
      return;
    }
    Map<String, Object> b = part.value();
    h.open("p");
    if (b.get("schedule") == null) {
      h.text("No scheduled backups (backup.schedule in app.ini or node.ini). ");
    } else {
      h.text("Scheduled ").element("code", str(b.get("schedule")));
      h.text(", keeping the newest " + b.get("keep") + "; next ");
      time(b.get("next"));
      h.text(". ");
    }
    List<String> services = strings(b.get("services"));
    h.text("Services: " + (services.isEmpty() ? "none" : String.join(", ", services)) + ".");
    h.close();
    action(AppAction.BACKUP, Map.of("location", d.location()));
    List<?> list = (List<?>) b.get("backups");
    if (!list.isEmpty()) {
      tableHead("Id", "Kind", "Created", "Why", "Services", "Size");
      for (Object o : list) {
        Map<?, ?> c = (Map<?, ?>) o;
        h.open("tr").element("th", str(c.get("id")), "scope", "row");
        cell(c.get("kind"));
        timeCell(c.get("created"));
        cell(c.get("reason"));
        cell(String.join(", ", strings(c.get("services"))));
        cell(AppPage.bytes(((Number) c.get("bytes")).longValue()));
        h.close();
      }
      tableEnd();
    }
  }
}

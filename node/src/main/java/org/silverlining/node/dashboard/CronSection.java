package org.silverlining.node.dashboard;

import java.util.Map;
import org.silverlining.node.control.Jobs;
import org.silverlining.node.state.StateStore;

/** The app page's cron jobs: schedule, next and last run of each, with run-now. */
final class CronSection extends AppSection {
  CronSection(Html h, AppPageData d, String csrf) {
    super(h, d, csrf, "cron", "Cron jobs");
  }

  @Override
  void body() {
    AppPageData.Part<Jobs.CronJobs> part = d.cron();
    if (problem(part)) {
      return;
    }
    if (part.value().jobs().isEmpty()) {
      h.element("p", "No cron jobs: the [cron] section of app.ini declares them.");
    } else {
      tableHead("Job", "Schedule", "Next run", "Last run", "");
      for (Map<String, Object> j : part.value().jobs()) {
        h.open("tr").element("th", str(j.get("job")), "scope", "row");
        h.open("td").element("code", str(j.get("schedule"))).text(" " + j.get("zone")).close();
        h.open("td");
        time(j.get("next"));
        if (Boolean.TRUE.equals(j.get("running"))) {
          h.text(" (running now)");
        }
        h.close().open("td");
        if (j.get("last") instanceof StateStore.CronRunRecord last) {
          h.element(
              "span",
              last.status(),
              "class",
              "status " + (last.status().equals("ok") ? "ok" : "bad"));
          h.text(" ");
          time(last.started());
          h.text(", " + last.millis() + " ms");
        } else {
          h.text("never");
        }
        h.close().open("td");
        action(AppAction.RUN_CRON, Map.of("location", d.location(), "job", str(j.get("job"))));
        h.close().close();
      }
      tableEnd();
    }
  }
}

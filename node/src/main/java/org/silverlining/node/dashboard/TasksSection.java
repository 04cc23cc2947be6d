package org.silverlining.node.dashboard;

import java.util.List;
import java.util.Map;

/**
 * The app page's task queues with their tasks by state, and the failed and dead tasks, with retry
 * for a dead one.
 */
final class TasksSection extends AppSection {
  TasksSection(Html h, AppPageData d, String csrf) {
    super(h, d, csrf, "tasks", "Task queues");
  }

  @Override
  void body() {
    AppPageData.Part<Map<String, Object>> part = d.tasks();
    if (problem(part)) {
      return;
    }
    tableHead("Queue", "Rate", "Tasks by state");
    for (Object o : (List<?>) part.value().get("queues")) {
      Map<?, ?> q = (Map<?, ?>) o;
      h.open("tr").element("th", str(q.get("queue")), "scope", "row");
      cell(q.get("rate"));
      StringBuilder counts = new StringBuilder();
      ((Map<?, ?>) q.get("counts"))
          .forEach((k, v) -> counts.append(k).append(' ').append(v).append(", "));
      cell(counts.isEmpty() ? "empty" : trimComma(counts));
      h.close();
    }
    tableEnd();
    List<?> failures = (List<?>) part.value().get("failures");
    if (!failures.isEmpty()) {
      h.element("h3", "Failed and dead tasks");
      tableHead("Task", "Queue", "Request", "State", "Retries", "Last result", "");
      for (Object o : failures) {
        Map<?, ?> f = (Map<?, ?>) o;
        h.open("tr")
            .element(
                "th",
                f.get("id") + (f.get("name") == null ? "" : " " + f.get("name")),
                "scope",
                "row");
        cell(f.get("queue"));
        h.open("td").element("code", f.get("method") + " " + f.get("path")).close();
        cell(f.get("state"));
        cell(f.get("retries"));
        cell(f.get("last_result"));
        h.open("td");
        if ("dead".equals(f.get("state"))) {
          action(AppAction.RETRY, Map.of("location", d.location(), "task", str(f.get("id"))));
        }
        h.close().close();
      }
      tableEnd();
    }
  }
}

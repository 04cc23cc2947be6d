package org.silverlining.node.dashboard;

import java.util.List;
import java.util.Map;
import org.silverlining.node.deploy.RegistryView;

/**
 * The app page's deployments of the location: outcome, stages, who and what of each, with activate
 * for a good one that is not live, and a form that compares two.
 */
final class DeploymentsSection extends AppSection {
  DeploymentsSection(Html h, AppPageData d, String csrf) {
    super(h, d, csrf, "deployments", "Deployments");
  }

  @Override
  void body() {
    AppPageData.Part<RegistryView.Registry> part = d.deployments();
    if (problem(part)) {
      return;
    }
    List<Map<String, Object>> list = part.value().deployments();
    tableHead(
        "#",
        "Instance",
        "Outcome",
        "Stages (ms)",
        "Who",
        "Started",
        "Version control",
        "Config",
        "");
    for (Map<String, Object> r : list) {
      boolean live = Boolean.TRUE.equals(r.get("live"));
      String status = str(r.get("status"));
      h.open("tr", "data-deployment", str(r.get("id")), "class", live ? "live" : null);
      cell(r.get("id"));
      h.open("th", "scope", "row").text(str(r.get("instance")));
      if (live) {
        h.text(" ").element("span", "live", "class", "status ok");
      }
      h.close();
      h.open("td").element("span", status, "class", "status " + outcomeClass(status));
      if (r.get("error") != null && !str(r.get("error")).isEmpty()) {
        h.text(" at " + r.get("stage") + ": ")
            .element("span", str(r.get("error")), "class", "error");
      }
      h.close();
      StringBuilder stages = new StringBuilder();
      ((Map<?, ?>) r.get("stages"))
          .forEach((k, v) -> stages.append(k).append(' ').append(v).append(", "));
      h.element("td", trimComma(stages), "class", "small");
      cell(r.get("who"));
      timeCell(r.get("started"));
      StringBuilder vcs = new StringBuilder();
      ((Map<?, ?>) r.get("vcs"))
          .forEach((k, v) -> vcs.append(k).append(": ").append(v).append(", "));
      h.element("td", trimComma(vcs), "class", "small");
      cell(r.get("config_revision"));
      h.open("td");
      if (!live && status.equals("ok") && r.get("instance") != null) {
        action(
            AppAction.ACTIVATE,
            Map.of("location", d.location(), "instance", str(r.get("instance"))));
      }
      h.close().close();
    }
    tableEnd();
    diffForm(list);
  }

  private static String outcomeClass(String status) {
    return status.equals("ok") ? "ok" : status.equals("failed") ? "bad" : "";
  }

  /** Two lists of the deployed instances and a button: the files that differ between them. */
  private void diffForm(List<Map<String, Object>> list) {
    List<String> instances =
        list.stream()
            .filter(r -> "ok".equals(r.get("status")) && r.get("instance") != null)
            .map(r -> str(r.get("instance")))
            .distinct()
            .toList();
    if (instances.size() < 2) {
      return;
    }
    h.open(
        "form",
        "method",
        "get",
        "class",
        "diff",
        "action",
        "/apps/" + AppPage.url(d.app()) + "/diff");
    h.empty("input", "type", "hidden", "name", "location", "value", d.location());
    select("a", "Compare", instances, instances.get(1));
    select("b", "with", instances, instances.get(0));
    h.element("button", "Show the files that differ", "type", "submit");
    h.close();
  }

  private void select(String name, String label, List<String> options, String chosen) {
    h.open("label").text(label + " ").open("select", "name", name);
    for (String o : options) {
      h.element("option", o, "selected", o.equals(chosen) ? "selected" : null);
    }
    h.close().close().text(" ");
  }
}

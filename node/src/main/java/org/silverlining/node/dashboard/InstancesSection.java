package org.silverlining.node.dashboard;

import java.util.List;
import java.util.Map;

/** The app page's instances: status, location and creation of each, with its processes. */
final class InstancesSection extends AppSection {
  InstancesSection(Html h, AppPageData d, String csrf) {
    super(h, d, csrf, "instances", "Instances and processes");
  }

  @Override
  void body() {
    if (d.instances().isEmpty()) {
      h.element("p", "No instance.");
    } else {
      tableHead("Instance", "Status", "Location", "Created", "Processes");
      for (Map<String, Object> i : d.instances()) {
        h.open("tr").element("th", str(i.get("name")), "scope", "row");
        cell(i.get("status") + (Boolean.TRUE.equals(i.get("running")) ? ", running" : ""));
        cell(i.get("location"));
        timeCell(i.get("created"));
        h.open("td").open("ul", "class", "procs");
        for (Object o : (List<?>) i.get("processes")) {
          Map<?, ?> p = (Map<?, ?>) o;
          h.element(
              "li",
              "pid "
                  + p.get("pid")
                  + ", port "
                  + p.get("port")
                  + ", "
                  + p.get("state")
                  + ", "
                  + p.get("restarts")
                  + " restarts");
        }
        h.close().close().close();
      }
      tableEnd();
    }
  }
}

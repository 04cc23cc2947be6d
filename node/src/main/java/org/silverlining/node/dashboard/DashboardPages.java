package org.silverlining.node.dashboard;

import java.util.List;
import org.silverlining.node.control.NodeStatus;
import org.silverlining.node.monitor.Monitor;

/**
 * The parts of the node the dashboard's pages show, and the one list of its areas. A new area is a
 * class implementing {@link DashboardArea}, added to {@link #areas()} with what it needs here.
 */
public record DashboardPages(NodeStatus status, Monitor monitor) {
  /** Every area of the dashboard; the navigation lists their links in this order. */
  public List<DashboardArea> areas() {
    return List.of(new OverviewPage(status, monitor));
  }
}

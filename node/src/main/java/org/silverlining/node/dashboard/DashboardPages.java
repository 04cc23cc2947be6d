package org.silverlining.node.dashboard;

import java.util.List;
import java.util.concurrent.ExecutorService;
import org.silverlining.node.admin.ManagementAreas;

/**
 * The parts of the node the dashboard's pages show (those of the management API), and the one list
 * of its areas. A new area is a class implementing {@link DashboardArea}, added to {@link #areas()}
 * with what it needs here. {@code workers} run what a page starts and outlives its request (a
 * deployment from the deploy page).
 */
public record DashboardPages(ManagementAreas parts, ExecutorService workers) {
  /** Every area of the dashboard; the navigation lists their links in this order. */
  public List<DashboardArea> areas() {
    return List.of(
        new OverviewPage(parts.status(), parts.monitor()),
        new AppPagesArea(
            parts.status(),
            parts.releases(),
            parts.jobs(),
            parts.keptBackups(),
            parts.configView(),
            parts.deployer(),
            parts.monitor(),
            parts.middlewares(),
            parts.appLog(),
            parts.scratch(),
            workers));
  }
}

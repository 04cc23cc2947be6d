package org.silverlining.node.dashboard;

/**
 * One area of the dashboard (the overview, an app's page, the deploy page...): its pages, actions
 * and assets, added to the {@link PageRoutes} it is given. An area is one more client of the node's
 * {@code control/} facades and monitor views; it holds no logic of its own beyond showing them. A
 * new area is a class implementing this, listed in {@link DashboardPages#areas()}.
 */
public interface DashboardArea {
  void addPages(PageRoutes routes);
}

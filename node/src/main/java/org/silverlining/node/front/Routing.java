package org.silverlining.node.front;

import java.util.Set;

/**
 * The front's current routing: a table and the disabled apps. Each is replaced whole and published
 * with a volatile write, so requests never see a half-made change.
 */
public final class Routing {
  private volatile RouteTable table = RouteTable.EMPTY;
  private volatile Set<String> disabledApps = Set.of();

  public RouteTable table() {
    return table;
  }

  public void setTable(RouteTable table) {
    this.table = table;
  }

  public boolean isDisabled(String app) {
    return disabledApps.contains(app);
  }

  public void setDisabledApps(Set<String> apps) {
    this.disabledApps = Set.copyOf(apps);
  }
}

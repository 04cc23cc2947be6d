package org.silverlining.node.lifecycle;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.silverlining.core.Location;
import org.silverlining.node.front.Route;
import org.silverlining.node.front.RouteTable;
import org.silverlining.node.front.Routing;
import org.silverlining.node.state.StateStore;

/**
 * Publishes what the state store says is deployed: the front's routing table and disabled apps in
 * one swap each, then the locations to each subscriber (cron jobs, task queues, certificates...).
 * Run after every change of a location (deploy, activate, rollback, disable...) and once on start.
 */
public final class RoutePublisher implements Runnable {
  /** A part that follows the locations: told them after each publication. */
  @FunctionalInterface
  public interface Subscriber {
    void published(List<StateStore.LocationRecord> locations) throws SQLException;
  }

  private final StateStore state;
  private final Routing routing;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

  public RoutePublisher(StateStore state, Routing routing) {
    this.state = state;
    this.routing = routing;
  }

  /** Adds {@code subscriber}, told the locations after each publication, in the order added. */
  public void subscribe(Subscriber subscriber) {
    subscribers.add(subscriber);
  }

  @Override
  public void run() {
    try {
      List<StateStore.LocationRecord> locations = state.locations();
      List<Route> routes = new ArrayList<>();
      for (StateStore.LocationRecord l : locations) {
        routes.add(new Route(Location.parse(l.location()), l.app(), l.active(), l.previous()));
      }
      routing.setTable(new RouteTable(routes));
      routing.setDisabledApps(Set.copyOf(state.disabledApps()));
      for (Subscriber s : subscribers) {
        s.published(locations);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the state store", e);
    }
  }
}

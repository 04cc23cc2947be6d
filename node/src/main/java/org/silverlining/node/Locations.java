package org.silverlining.node;

import java.sql.SQLException;
import org.silverlining.core.Location;
import org.silverlining.node.admin.ApiException;
import org.silverlining.node.state.StateStore;

/** The locations the management API names, resolved to their state or to the API's errors. */
final class Locations {
  private final StateStore state;

  Locations(StateStore state) {
    this.state = state;
  }

  /** The canonical form of {@code location}; 400 when it does not parse. */
  static String key(String location) throws ApiException {
    try {
      return Location.parse(location).toString();
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, e.getMessage());
    }
  }

  /** What is deployed at {@code location}; 404 when nothing is. */
  StateStore.LocationRecord record(String location) throws ApiException, SQLException {
    String key = key(location);
    return state
        .location(key)
        .orElseThrow(
            () -> new ApiException(404, "nothing is deployed at " + key + " on this node"));
  }
}

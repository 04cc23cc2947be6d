package org.silverlining.node.control;

import java.sql.SQLException;
import org.silverlining.core.Location;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.errors.NotFoundException;
import org.silverlining.node.errors.RefusedException;
import org.silverlining.node.state.StateStore;

/** The locations the management API names, resolved to their state or to the API's errors. */
public final class Locations {
  private final StateStore state;

  public Locations(StateStore state) {
    this.state = state;
  }

  /**
   * The canonical form of {@code location}; refused, naming the parameter, when it does not parse.
   */
  public static String key(String location) throws InvalidParameterException {
    try {
      return Location.parse(location).toString();
    } catch (IllegalArgumentException e) {
      throw new InvalidParameterException("location", e.getMessage());
    }
  }

  /** What is deployed at {@code location}; not found when nothing is. */
  public StateStore.LocationRecord record(String location) throws RefusedException, SQLException {
    String key = key(location);
    return state
        .location(key)
        .orElseThrow(
            () -> new NotFoundException("nothing is deployed at " + key + " on this node"));
  }
}

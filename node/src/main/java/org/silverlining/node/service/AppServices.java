package org.silverlining.node.service;

import java.util.List;
import java.util.Map;
import org.silverlining.core.AppConfig;

/** The services of apps on this node, bound to the node's servers, folders and mode. */
public interface AppServices {
  List<Services.Bound> bind(AppConfig config) throws ServiceException;

  /** The {@code CONFIG_*} variables of the app's services. */
  default Map<String, String> environment(AppConfig config) throws ServiceException {
    return Services.environment(bind(config));
  }
}

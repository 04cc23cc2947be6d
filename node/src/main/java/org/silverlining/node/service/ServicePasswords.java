package org.silverlining.node.service;

import java.io.IOException;

/**
 * The password a database service made for one resource ({@code NAME}, or {@code test_NAME} in test
 * mode), kept in the app's {@link ServiceSecrets} under {@code SERVICE.NAME} so that a test run's
 * password never replaces the deployed app's.
 */
final class ServicePasswords {
  private ServicePasswords() {}

  /** The stored password, made and stored first if there is none; for provisioning. */
  static String getOrCreate(ServiceScope scope, String service, String name)
      throws ServiceException {
    try {
      return scope.secrets().getOrCreate(file(service, name), "password");
    } catch (IOException e) {
      throw new ServiceException(
          "cannot keep the " + service + " password of " + name + ": " + e.getMessage(), e);
    }
  }

  /** The stored password; fails saying so when provisioning has not run yet. */
  static String stored(ServiceScope scope, String service, String name) throws ServiceException {
    String password;
    try {
      password = scope.secrets().get(file(service, name), "password");
    } catch (IOException e) {
      throw new ServiceException(
          "cannot read the " + service + " password of " + name + ": " + e.getMessage(), e);
    }
    if (password == null) {
      throw new ServiceException(
          "service."
              + scope.alias()
              + " of "
              + scope.app()
              + " is not provisioned yet; deploy first");
    }
    return password;
  }

  static void forget(ServiceScope scope, String service, String name) throws ServiceException {
    try {
      scope.secrets().delete(file(service, name));
    } catch (IOException e) {
      throw new ServiceException(
          "cannot remove the " + service + " password of " + name + ": " + e.getMessage(), e);
    }
  }

  private static String file(String service, String name) {
    return service + "." + name;
  }
}

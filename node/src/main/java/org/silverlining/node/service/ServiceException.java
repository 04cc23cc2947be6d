package org.silverlining.node.service;

/** A service that cannot be provisioned or used; the message says what failed and how to fix it. */
public class ServiceException extends Exception {
  public ServiceException(String message) {
    super(message);
  }

  public ServiceException(String message, Throwable cause) {
    super(message, cause);
  }
}

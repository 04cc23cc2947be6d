package org.silverlining.node.front;

import org.eclipse.jetty.server.Request;
import org.silverlining.node.process.InstanceProcesses;
import org.silverlining.node.staticfiles.FileRoots;

/**
 * An instance the front can send requests to.
 *
 * @param processes its processes, or {@code null} for a static app
 * @param files the folders the front answers from before the app
 */
public record LiveInstance(String name, String app, InstanceProcesses processes, FileRoots files) {

  /** The request attribute under which the resolved instance is passed on. */
  public static final String ATTRIBUTE = "silver.instance";

  /** The name of the instance the front passed {@code request} to, or null. */
  public static String nameOf(Request request) {
    return request.getAttribute(ATTRIBUTE) instanceof LiveInstance l ? l.name() : null;
  }
}

package org.silverlining.node.front;

import java.nio.file.Path;
import org.eclipse.jetty.server.Request;
import org.silverlining.node.process.InstanceProcesses;

/**
 * An instance the front can send requests to.
 *
 * @param processes its processes, or {@code null} for a static app
 * @param staticDir its {@code static/} folder (for a static app, the folder it serves), or {@code
 *     null}
 * @param writableRoot the app's {@code writable_root} service folder, or {@code null}
 */
public record LiveInstance(
    String name, String app, InstanceProcesses processes, Path staticDir, Path writableRoot) {

  /** An instance without a writable root. */
  public LiveInstance(String name, String app, InstanceProcesses processes, Path staticDir) {
    this(name, app, processes, staticDir, null);
  }

  /** The request attribute under which the resolved instance is passed on. */
  public static final String ATTRIBUTE = "silver.instance";

  /** The name of the instance the front passed {@code request} to, or null. */
  public static String nameOf(Request request) {
    return request.getAttribute(ATTRIBUTE) instanceof LiveInstance l ? l.name() : null;
  }
}

package org.silverlining.node.process;

import java.util.concurrent.ThreadFactory;

/** Threads that never keep the node's JVM alive: the node stops them itself when it closes. */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** Makes daemon threads, each named {@code name} (thread dumps group them by name). */
  public static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}

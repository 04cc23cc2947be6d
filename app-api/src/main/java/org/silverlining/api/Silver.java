package org.silverlining.api;

import java.util.Map;

/**
 * What a Silver Lining node offers a Java app, with no dependencies: where the app runs ({@link
 * #isProduction()}) and its task queues ({@link #tasks()}). Everything is read from the process
 * environment the node gives the app.
 */
public final class Silver {
  private Silver() {}

  /**
   * Whether the app runs on a node in production: {@code SILVER_VERSION} starts with {@code
   * silverlining/}. False under {@code silver serve} ({@code devel/...}) and outside Silver Lining.
   */
  public static boolean isProduction() {
    return isProduction(System.getenv());
  }

  static boolean isProduction(Map<String, String> env) {
    String v = env.get("SILVER_VERSION");
    return v != null && v.startsWith("silverlining/");
  }

  /**
   * The node's task queues, reached through {@code SILVER_TASKS_URL} with {@code
   * SILVER_TASKS_TOKEN}.
   *
   * @throws IllegalStateException when the app does not run under a node that offers tasks
   */
  public static Tasks tasks() {
    return Tasks.fromEnvironment(System.getenv());
  }
}

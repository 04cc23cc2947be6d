package org.silverlining.node.tasks;

/** Makes one attempt of a task: sends its request to the app and answers the status code. */
@FunctionalInterface
public interface TaskDelivery {
  /**
   * Attempts {@code task}; throws when no answer came (no live instance, refused, timed out).
   *
   * @return the HTTP status the app answered
   */
  int deliver(Task task) throws Exception;

  /** Closes what the attempts no longer need (idle connections); the dispatcher calls it often. */
  default void closeIdle() {}
}

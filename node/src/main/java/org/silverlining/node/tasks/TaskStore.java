package org.silverlining.node.tasks;

import java.util.List;
import java.util.Map;

/**
 * Where tasks are kept. An implementation commits {@link #enqueue} before it returns (the caller
 * acknowledges the task after that), and on opening returns tasks left {@code running} by a node
 * that stopped to {@code queued}, so every acknowledged task is attempted until it is done or dead:
 * delivery is at least once.
 */
public interface TaskStore extends AutoCloseable {
  /** States of a task. */
  String QUEUED = "queued";

  String RUNNING = "running";
  String DONE = "done";
  String DEAD = "dead";
  String PURGED = "purged";

  /**
   * Stores {@code task}, committed.
   *
   * @throws DuplicateTaskException when its queue remembers a task with the same name
   */
  default Task enqueue(Task.New task) throws Exception {
    return enqueue(task, false);
  }

  /**
   * Stores {@code task}, committed. With {@code claim} the store also claims it for this node in
   * the same step and returns it {@code running}, so the dispatcher can attempt it at once instead
   * of finding it in its next pass.
   *
   * @throws DuplicateTaskException when its queue remembers a task with the same name
   */
  Task enqueue(Task.New task, boolean claim) throws Exception;

  /** The {@code (location, queue)} pairs that have queued tasks due at {@code nowMillis}. */
  List<String[]> dueQueues(long nowMillis) throws Exception;

  /**
   * Marks at most {@code limit} queued tasks of a queue that are due at {@code nowMillis} running,
   * oldest ETA first, and returns them.
   */
  List<Task> claim(String location, String queue, long nowMillis, int limit) throws Exception;

  /** Records a successful delivery; the task's name is remembered until {@link #forget}. */
  void done(long id, long nowMillis) throws Exception;

  /** Queues the task again for {@code etaMillis} after its failed attempt. */
  void retryLater(long id, int retries, long firstAttemptMillis, long etaMillis, String result)
      throws Exception;

  /** Moves the task to the dead-letter list after its last failed attempt. */
  void dead(long id, int retries, long firstAttemptMillis, String result) throws Exception;

  /** How one attempt ended: what {@link #finish} records. */
  sealed interface Outcome {
    long id();
  }

  /** Delivered: see {@link #done}. */
  record Done(long id, long nowMillis) implements Outcome {}

  /** Failed, to be tried again: see {@link #retryLater}. */
  record Retry(long id, int retries, long firstAttemptMillis, long etaMillis, String result)
      implements Outcome {}

  /** Failed for the last time: see {@link #dead}. */
  record Dead(long id, int retries, long firstAttemptMillis, String result) implements Outcome {}

  /**
   * Records the outcomes of several attempts. A store may commit them together, which is where most
   * of the cost of finishing a task goes when many finish at once.
   */
  default void finish(List<Outcome> outcomes) throws Exception {
    for (Outcome o : outcomes) {
      if (o instanceof Done d) {
        done(d.id(), d.nowMillis());
      } else if (o instanceof Retry r) {
        retryLater(r.id(), r.retries(), r.firstAttemptMillis(), r.etaMillis(), r.result());
      } else if (o instanceof Dead d) {
        dead(d.id(), d.retries(), d.firstAttemptMillis(), d.result());
      }
    }
  }

  /** Queues dead task {@code id} of {@code location} again, now, with its retry count reset. */
  boolean revive(String location, long id, long nowMillis) throws Exception;

  /** Drops the queued and dead tasks of a queue; returns how many. Names stay remembered. */
  int purge(String location, String queue, long nowMillis) throws Exception;

  /**
   * Stores {@code task}, which another store kept, as it was there — {@code queued} or {@code
   * dead}, with its retry count, first attempt and last result — under an id of this store's;
   * committed. Returns it as stored.
   *
   * @throws DuplicateTaskException when its queue remembers a task with the same name
   */
  Task adopt(Task task) throws Exception;

  /**
   * Forgets task {@code id} at once, whatever its state, and frees its name: another store keeps it
   * now ({@link TaskStores#share}).
   */
  void remove(long id) throws Exception;

  /** Forgets finished tasks (and their names) that finished before {@code cutoffMillis}. */
  int forget(long cutoffMillis) throws Exception;

  /** Counts by queue, then by state, of {@code location}'s tasks. */
  Map<String, Map<String, Integer>> counts(String location) throws Exception;

  /** The dead tasks and the queued ones that have failed, of {@code location}, latest first. */
  List<Task> failures(String location, int limit) throws Exception;

  /** The task {@code id}, or {@code null}. */
  Task task(long id) throws Exception;

  /** A task name already remembered in its queue. */
  final class DuplicateTaskException extends Exception {
    public DuplicateTaskException(String queue, String name) {
      super("queue " + queue + " already has a task named " + name);
    }
  }
}

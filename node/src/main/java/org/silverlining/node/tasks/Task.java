package org.silverlining.node.tasks;

import java.util.Map;

/**
 * A task as stored: a request to make to the app live at {@code location}.
 *
 * @param name the caller's name, or {@code null}; {@link #deliveredName()} is what the app sees
 * @param etaMillis when it may run next (epoch milliseconds)
 * @param retries failed attempts so far (the {@code X-Silver-Task-Retry-Count} of the next one)
 * @param firstAttemptMillis when it was first attempted, or 0 before that
 * @param state {@code queued}, {@code running}, {@code done}, {@code dead} or {@code purged}
 * @param lastResult the status line or error of the last failed attempt, or {@code null}
 */
public record Task(
    long id,
    String location,
    String queue,
    String name,
    String method,
    String path,
    Map<String, String> headers,
    byte[] body,
    long etaMillis,
    long createdMillis,
    int retries,
    long firstAttemptMillis,
    String state,
    String lastResult) {

  public Task {
    headers = Map.copyOf(headers);
  }

  /** The name the app sees: the caller's, or {@code task-ID} for an unnamed task. */
  public String deliveredName() {
    return name != null ? name : "task-" + id;
  }

  /** What was asked to be enqueued. */
  public New request() {
    return new New(location, queue, name, method, path, headers, body, etaMillis);
  }

  /** The same task in state {@code newState}. */
  public Task withState(String newState) {
    return new Task(
        id,
        location,
        queue,
        name,
        method,
        path,
        headers,
        body,
        etaMillis,
        createdMillis,
        retries,
        firstAttemptMillis,
        newState,
        lastResult);
  }

  /** What an app asks to be enqueued; the store adds id, state and times. */
  public record New(
      String location,
      String queue,
      String name,
      String method,
      String path,
      Map<String, String> headers,
      byte[] body,
      long etaMillis) {
    public New {
      headers = Map.copyOf(headers);
    }

    /** The task as a store keeps it once stored: {@code id}, queued, never attempted. */
    public Task stored(long id, long createdMillis) {
      return new Task(
          id,
          location,
          queue,
          name,
          method,
          path,
          headers,
          body,
          etaMillis,
          createdMillis,
          0,
          0,
          TaskStore.QUEUED,
          null);
    }
  }
}

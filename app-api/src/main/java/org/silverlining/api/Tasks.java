package org.silverlining.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The node's task queues. {@link #enqueue} returns once the node has stored the task durably; the
 * node then makes the task's request to the app, with {@code X-Silver-Task-Name}, {@code
 * X-Silver-Task-Queue} and {@code X-Silver-Task-Retry-Count}, until the app answers 2xx or the
 * queue's retry limits are used up. A task may be delivered more than once, so its handler should
 * be idempotent.
 */
public final class Tasks {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String url;
  private final String token;

  Tasks(String url, String token) {
    this.url = url;
    this.token = token;
  }

  static Tasks fromEnvironment(Map<String, String> env) {
    String url = env.get("SILVER_TASKS_URL");
    String token = env.get("SILVER_TASKS_TOKEN");
    if (url == null || token == null) {
      throw new IllegalStateException(
          "SILVER_TASKS_URL and SILVER_TASKS_TOKEN are not set: the app is not run by a silver"
              + " node");
    }
    return new Tasks(url, token);
  }

  /** What the node answered to an enqueue: the task's id and name (given or generated). */
  public record Enqueued(long id, String name, String queue, String eta) {}

  /** A task the node refused, with the HTTP status and its message. */
  public static final class EnqueueException extends IOException {
    private final int status;

    public EnqueueException(int status, String message) {
      super(status + ": " + message);
      this.status = status;
    }

    /** 400 invalid, 404 unknown queue, 409 name already used, 413 body too large. */
    public int status() {
      return status;
    }
  }

  /** Enqueues {@code task} on the {@code default} queue. */
  public Enqueued enqueue(TaskOptions task) throws IOException, InterruptedException {
    return enqueue("default", task);
  }

  /**
   * Enqueues {@code task} on {@code queue} (a {@code [queue:NAME]} of app.ini, or {@code default}).
   *
   * @throws EnqueueException when the node refuses it
   */
  public Enqueued enqueue(String queue, TaskOptions task) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url + "/queues/" + queue + "/tasks"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(task.toJson(), StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      String error = null;
      try {
        error = JsonReader.object(r.body()).get("error") instanceof String e ? e : null;
      } catch (IllegalArgumentException notJson) {
        // a proxy's or server's own error page: shown as it is
      }
      throw new EnqueueException(r.statusCode(), error != null ? error : r.body());
    }
    return enqueued(r.body());
  }

  /**
   * The tasks API's 201 answer: {@code {"id": N, "name": "…", "queue": "…", "eta": "…"}}.
   *
   * @throws IOException when it is not that
   */
  static Enqueued enqueued(String body) throws IOException {
    try {
      Map<String, Object> m = JsonReader.object(body);
      if (m.get("id") instanceof Long id
          && m.get("name") instanceof String name
          && m.get("queue") instanceof String queue
          && m.get("eta") instanceof String eta) {
        return new Enqueued(id, name, queue, eta);
      }
    } catch (IllegalArgumentException e) {
      throw new IOException("the tasks API answered 201 with " + e.getMessage(), e);
    }
    throw new IOException("the tasks API answered 201 without an id, name, queue and eta");
  }
}

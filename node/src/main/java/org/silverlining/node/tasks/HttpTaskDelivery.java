package org.silverlining.node.tasks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.silverlining.node.InstanceManager;
import org.silverlining.node.front.LiveInstance;
import org.silverlining.node.process.InstanceProcesses;
import org.silverlining.node.state.StateStore;

/**
 * Delivers a task as an HTTP request straight to a process of the instance live at the task's
 * location (as cron does), with {@code X-Silver-Task-Name}, {@code X-Silver-Task-Queue}, {@code
 * X-Silver-Task-Retry-Count}, {@code X-Silver-Task-ETA} and {@code X-Silver-Internal: task}. The
 * path is the app's own (without the location's path prefix). No answer within {@link #TIMEOUT} is
 * a failure.
 */
public final class HttpTaskDelivery implements TaskDelivery {
  public static final Duration TIMEOUT = Duration.ofMinutes(10);
  static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  private final StateStore state;
  private final InstanceManager instances;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  public HttpTaskDelivery(StateStore state, InstanceManager instances) {
    this.state = state;
    this.instances = instances;
  }

  @Override
  public int deliver(Task task) throws Exception {
    String active =
        state
            .location(task.location())
            .map(StateStore.LocationRecord::active)
            .orElseThrow(() -> new IOException("nothing is live at " + task.location()));
    LiveInstance live = instances.live(active).get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    InstanceProcesses processes = live.processes();
    if (processes == null) {
      throw new IOException("a static app has no process to deliver a task to");
    }
    int port = processes.pickPort();
    if (port < 0) {
      throw new IOException(active + " has no process running");
    }
    processes.acquire(); // a draining instance waits for the attempt
    try {
      return http.send(request(task, port), HttpResponse.BodyHandlers.discarding()).statusCode();
    } finally {
      processes.release();
    }
  }

  /** The request of one attempt of {@code task} to the process on {@code port}. */
  static HttpRequest request(Task task, int port) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + task.path()))
            .timeout(TIMEOUT);
    for (Map.Entry<String, String> h : task.headers().entrySet()) {
      b.header(h.getKey(), h.getValue());
    }
    b.header("X-Silver-Task-Name", task.deliveredName())
        .header("X-Silver-Task-Queue", task.queue())
        .header("X-Silver-Task-Retry-Count", Integer.toString(task.retries()))
        .header(
            "X-Silver-Task-ETA",
            String.format(java.util.Locale.ROOT, "%.3f", task.etaMillis() / 1000.0))
        .header("X-Silver-Internal", "task");
    byte[] body = task.body();
    return b.method(
            task.method(),
            body == null || body.length == 0
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }
}

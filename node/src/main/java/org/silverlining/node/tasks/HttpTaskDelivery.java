package org.silverlining.node.tasks;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.silverlining.node.InstanceManager;
import org.silverlining.node.front.LiveInstance;
import org.silverlining.node.process.InstanceProcesses;
import org.silverlining.node.state.StateStore;

/**
 * Delivers a task as an HTTP request straight to a process of the instance live at the task's
 * location (as cron does), with {@code X-Silver-Task-Name}, {@code X-Silver-Task-Queue}, {@code
 * X-Silver-Task-Retry-Count}, {@code X-Silver-Task-ETA} and {@code X-Silver-Internal: task}. The
 * path is the app's own (without the location's path prefix). No answer within {@link #TIMEOUT} is
 * a failure. The answer's body is read and dropped.
 *
 * <p>Requests go through the node's Jetty HTTP client (keep-alive pools per process, on the node's
 * thread pool), which costs a fraction of the JDK's client per request.
 */
public final class HttpTaskDelivery implements TaskDelivery {
  public static final Duration TIMEOUT = Duration.ofMinutes(10);
  static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  private final StateStore state;
  private final InstanceManager instances;
  private final HttpClient http;

  /**
   * @param http a started client (the node starts and stops it with its server), see {@link
   *     #newClient}
   */
  public HttpTaskDelivery(StateStore state, InstanceManager instances, HttpClient http) {
    this.state = state;
    this.instances = instances;
    this.http = http;
  }

  /**
   * A client for deliveries on {@code executor}: redirects are answers (a 3xx is a failure, not
   * followed) and bodies are not decoded, since they are dropped.
   */
  public static HttpClient newClient(java.util.concurrent.Executor executor) {
    HttpClient client = new HttpClient();
    client.setExecutor(executor);
    client.setFollowRedirects(false);
    client.getContentDecoderFactories().clear();
    client.setConnectTimeout(5_000);
    client.setIdleTimeout(20_000);
    return client;
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
      CompletableFuture<Integer> status = new CompletableFuture<>();
      request(task, port)
          .send(
              r -> {
                if (r.isSucceeded()) {
                  status.complete(r.getResponse().getStatus());
                } else {
                  status.completeExceptionally(r.getFailure());
                }
              });
      try {
        return status.get();
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception x ? x : e;
      }
    } finally {
      processes.release();
    }
  }

  /** The request of one attempt of {@code task} to the process on {@code port}. */
  Request request(Task task, int port) {
    Request r =
        http.newRequest("http://127.0.0.1:" + port + task.path())
            .method(task.method())
            .timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    r.headers(
        h -> {
          for (Map.Entry<String, String> e : task.headers().entrySet()) {
            h.add(e.getKey(), e.getValue());
          }
          h.put("X-Silver-Task-Name", task.deliveredName());
          h.put("X-Silver-Task-Queue", task.queue());
          h.put("X-Silver-Task-Retry-Count", Integer.toString(task.retries()));
          h.put("X-Silver-Task-ETA", String.format(Locale.ROOT, "%.3f", task.etaMillis() / 1000.0));
          h.put("X-Silver-Internal", "task");
        });
    byte[] body = task.body();
    if (body != null && body.length > 0) {
      r.body(new BytesRequestContent(body)); // a Content-Type among the task's headers wins
    }
    return r;
  }
}

package org.silverlining.node.tasks;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.silverlining.node.apphttp.AppHttpClient;
import org.silverlining.node.apphttp.AppRequest;
import org.silverlining.node.front.LiveInstance;
import org.silverlining.node.instance.InstanceManager;
import org.silverlining.node.process.InstanceProcesses;
import org.silverlining.node.state.StateStore;

/**
 * Delivers a task as an HTTP request straight to a process of the instance live at the task's
 * location (as cron does), with {@code X-Silver-Task-Name}, {@code X-Silver-Task-Queue}, {@code
 * X-Silver-Task-Retry-Count}, {@code X-Silver-Task-ETA} and {@code X-Silver-Internal: task}. The
 * path is the app's own (without the location's path prefix). No answer within {@link #TIMEOUT} is
 * a failure. The answer's body is read and dropped.
 *
 * <p>The attempt's own thread makes the request, over an {@link AppHttpClient} keep-alive
 * connection: no hand-off to another thread and back, which cost more than the request itself
 * (docs/benchmarks.md).
 */
public final class HttpTaskDelivery implements TaskDelivery, AutoCloseable {
  public static final Duration TIMEOUT = Duration.ofMinutes(10);
  static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(20);

  private final StateStore state;
  private final InstanceManager instances;
  private final AppHttpClient http = new AppHttpClient(CONNECT_TIMEOUT, IDLE_TIMEOUT);

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
      return http.send(
              AppRequest.of(port, task.method(), task.path(), TIMEOUT)
                  .withHeaders(headers(task))
                  .withBody(task.body()))
          .status();
    } finally {
      processes.release();
    }
  }

  /** The headers of an attempt of {@code task}: its own, then the node's. */
  static Map<String, String> headers(Task task) {
    Map<String, String> h = new LinkedHashMap<>(task.headers());
    h.put("X-Silver-Task-Name", task.deliveredName());
    h.put("X-Silver-Task-Queue", task.queue());
    h.put("X-Silver-Task-Retry-Count", Integer.toString(task.retries()));
    h.put("X-Silver-Task-ETA", seconds(task.etaMillis()));
    h.put("X-Silver-Internal", "task");
    return h;
  }

  /** Epoch {@code millis} as seconds with three decimals, e.g. {@code 1700000000.123}. */
  static String seconds(long millis) {
    long ms = Math.floorMod(millis, 1000L);
    return Math.floorDiv(millis, 1000L) + (ms < 10 ? ".00" : ms < 100 ? ".0" : ".") + ms;
  }

  @Override
  public void closeIdle() {
    http.closeIdle();
  }

  @Override
  public void close() {
    http.close();
  }
}

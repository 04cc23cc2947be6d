package org.silverlining.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A task to enqueue: the request the node will make to the app ({@code path}, method, headers,
 * body), when (a delay or an ETA), and an optional name that the queue will not take twice while it
 * remembers it (7 days after the task finished). Made with {@link #path(String)}; each {@code
 * with...} method returns a changed copy.
 *
 * <pre>{@code
 * Silver.tasks().enqueue("mail",
 *     TaskOptions.path("/tasks/send").withName("welcome-42").withBody("{\"user\": 42}"));
 * }</pre>
 */
public final class TaskOptions {
  private final String path;
  private final String name;
  private final String method;
  private final Map<String, String> headers;
  private final byte[] body;
  private final Duration delay;
  private final Instant eta;

  private TaskOptions(
      String path,
      String name,
      String method,
      Map<String, String> headers,
      byte[] body,
      Duration delay,
      Instant eta) {
    this.path = path;
    this.name = name;
    this.method = method;
    this.headers = headers;
    this.body = body;
    this.delay = delay;
    this.eta = eta;
  }

  /** A {@code POST} of {@code path} (the app's own path, starting with {@code /}), now. */
  public static TaskOptions path(String path) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("a task path starts with /, e.g. /tasks/mail");
    }
    return new TaskOptions(path, null, "POST", Map.of(), null, null, null);
  }

  /** The task's name: letters, digits, _ and -, at most 500. */
  public TaskOptions withName(String name) {
    return new TaskOptions(path, Objects.requireNonNull(name), method, headers, body, delay, eta);
  }

  public TaskOptions withMethod(String method) {
    return new TaskOptions(path, name, Objects.requireNonNull(method), headers, body, delay, eta);
  }

  /** Adds a request header (not {@code Host}, {@code Content-Length} or {@code X-Silver-*}). */
  public TaskOptions withHeader(String header, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(header, value);
    return new TaskOptions(path, name, method, Map.copyOf(h), body, delay, eta);
  }

  /** The request body, at most 1 MiB. */
  public TaskOptions withBody(byte[] body) {
    return new TaskOptions(path, name, method, headers, body.clone(), delay, eta);
  }

  /** The request body as UTF-8 text. */
  public TaskOptions withBody(String body) {
    return withBody(body.getBytes(StandardCharsets.UTF_8));
  }

  /** Runs the task no sooner than {@code delay} from now (at most 30 days). */
  public TaskOptions withDelay(Duration delay) {
    return new TaskOptions(path, name, method, headers, body, delay, null);
  }

  /** Runs the task no sooner than {@code eta} (at most 30 days ahead). */
  public TaskOptions withEta(Instant eta) {
    return new TaskOptions(path, name, method, headers, body, null, eta);
  }

  /** The JSON the tasks API takes; the body is sent as {@code body_base64}. */
  String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    if (name != null) {
      m.put("name", name);
    }
    m.put("method", method);
    if (!headers.isEmpty()) {
      m.put("headers", headers);
    }
    if (body != null) {
      m.put("body_base64", Base64.getEncoder().encodeToString(body));
    }
    if (delay != null) {
      m.put("delay_seconds", delay.toMillis() / 1000.0);
    }
    if (eta != null) {
      m.put("eta", eta.toString());
    }
    return Json.write(m);
  }
}

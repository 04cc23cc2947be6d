package org.silverlining.node.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.silverlining.node.api.ApiErrors;
import org.silverlining.node.api.MethodNotAllowedException;
import org.silverlining.node.errors.ConflictException;
import org.silverlining.node.errors.InvalidRequestException;
import org.silverlining.node.errors.NotFoundException;
import org.silverlining.node.errors.TooLargeException;
import org.silverlining.node.errors.UnauthorizedException;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.state.StateStore;

/**
 * The tasks API the node offers its app processes on a loopback connector of its own ({@code
 * SILVER_TASKS_URL}): {@code POST /queues/QUEUE/tasks} with {@code Authorization: Bearer
 * SILVER_TASKS_TOKEN} and a {@link TaskRequest} JSON body stores a task for the location of the
 * calling instance and answers 201 once it is committed. 401 for a wrong token, 404 for a queue the
 * instance's {@code app.ini} does not declare ({@code default} always exists), 409 for a name the
 * queue remembers, 413 beyond {@link TaskRequest#MAX_BODY}.
 *
 * <p>It declares itself non-blocking, so that Jetty runs it on the selector thread that read the
 * request instead of handing each request to another thread: the body is read asynchronously, and
 * the store's commit is short (a write to the store's log, or a Redis round trip; with {@code
 * [tasks] sync = always}, a disk sync), while other enqueues wait for the same store anyway.
 */
public final class TasksApi extends Handler.Abstract.NonBlocking {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TaskTokens tokens;
  private final StateStore state;
  private final NodeLayout layout;
  private final TaskDispatcher dispatcher;
  private final Map<String, Caller> callers = new ConcurrentHashMap<>();
  private static volatile IsoSecond lastSecond;

  public TasksApi(
      TaskTokens tokens, StateStore state, NodeLayout layout, TaskDispatcher dispatcher) {
    this.tokens = tokens;
    this.state = state;
    this.layout = layout;
    this.dispatcher = dispatcher;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    try {
      String instance = authenticate(request);
      String queue = queueOf(Request.getPathInContext(request));
      if (queue == null) {
        throw new NotFoundException("the tasks API is POST /queues/QUEUE/tasks");
      }
      if (!request.getMethod().equals("POST")) {
        throw new MethodNotAllowedException(
            "enqueue with POST /queues/QUEUE/tasks", List.of("POST"));
      }
      Caller caller = caller(instance);
      if (!QueueSettings.isQueueName(queue) || caller.queues().queue(queue).isEmpty()) {
        throw new NotFoundException(
            "no queue '" + queue + "'; declare it in app.ini as [queue:" + queue + "]");
      }
      if (request.getLength() > TaskRequest.MAX_REQUEST) {
        throw tooLarge();
      }
      Content.Source.asByteArrayAsync(
          request,
          TaskRequest.MAX_REQUEST,
          Promise.Invocable.from(
              InvocationType.NON_BLOCKING,
              body -> enqueue(caller, queue, body, response, callback),
              failure -> {
                // Jetty's accumulator refuses a body over the limit with an IllegalStateException
                boolean large =
                    failure instanceof IllegalStateException
                        || failure instanceof IllegalArgumentException;
                error(
                    response,
                    callback,
                    large
                        ? tooLarge()
                        : new InvalidRequestException("cannot read the body: " + failure));
              }));
    } catch (Exception e) {
      error(response, callback, e);
    }
    return true;
  }

  private void enqueue(
      Caller caller, String queue, byte[] body, Response response, Callback callback) {
    try {
      long now = System.currentTimeMillis();
      Runnable[] start = {() -> {}};
      org.silverlining.node.tasks.Task t = // not Handler's Invocable.Task
          dispatcher.enqueue(
              TaskRequest.parse(caller.location(), queue, body, now), r -> start[0] = r);
      // Written by hand: this answer is on every enqueue's path, and Jackson's map writing is
      // a good part of its cost. Names and queues are [A-Za-z0-9_-], nothing to escape.
      String answer =
          "{\"id\":"
              + t.id()
              + ",\"name\":\""
              + t.deliveredName()
              + "\",\"queue\":\""
              + t.queue()
              + "\",\"eta\":\""
              + iso(t.etaMillis())
              + "\"}";
      response.setStatus(201);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      // The attempt starts once the answer is written, whether or not that worked.
      response.write(
          true,
          ByteBuffer.wrap(answer.getBytes(StandardCharsets.US_ASCII)),
          Callback.from(start[0], callback));
    } catch (TaskStore.DuplicateTaskException e) {
      error(response, callback, new ConflictException(e.getMessage()));
    } catch (Exception e) {
      error(response, callback, e);
    }
  }

  /** {@code Instant.toString()} of epoch {@code millis}, its date and time made once a second. */
  static String iso(long millis) {
    long second = Math.floorDiv(millis, 1000L);
    int ms = (int) Math.floorMod(millis, 1000L);
    IsoSecond last = lastSecond;
    if (last == null || last.second() != second) {
      String whole = Instant.ofEpochSecond(second).toString(); // no fraction: ends with Z
      last = new IsoSecond(second, whole.substring(0, whole.length() - 1));
      lastSecond = last;
    }
    if (ms == 0) {
      return last.text() + "Z";
    }
    return last.text() + (ms < 10 ? ".00" : ms < 100 ? ".0" : ".") + ms + "Z";
  }

  private record IsoSecond(long second, String text) {}

  private String authenticate(Request request) {
    String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).strip() : null;
    return tokens
        .instanceOf(token)
        .orElseThrow(
            () ->
                new UnauthorizedException("Authorization: Bearer $SILVER_TASKS_TOKEN is required"));
  }

  /** An instance that enqueues: its location and the queues its {@code app.ini} declares. */
  private record Caller(String location, QueueTable queues) {}

  /**
   * The instance of a valid token, read once: an instance's location and {@code app.ini} never
   * change, and its token ends with the node.
   */
  private Caller caller(String instance) throws IOException, SQLException {
    Caller c = callers.get(instance);
    if (c == null) {
      StateStore.InstanceRecord r =
          state
              .instance(instance)
              .orElseThrow(() -> new UnauthorizedException("the instance of this token is gone"));
      Path ini = layout.instanceDir(r.app(), r.name()).resolve("app.ini");
      c = new Caller(r.location(), QueueTable.load(ini));
      callers.put(instance, c);
    }
    return c;
  }

  /** QUEUE of {@code /queues/QUEUE/tasks} (or {@code .../tasks/}), else {@code null}. */
  static String queueOf(String path) {
    String prefix = "/queues/";
    if (path == null || !path.startsWith(prefix)) {
      return null;
    }
    int slash = path.indexOf('/', prefix.length());
    if (slash <= prefix.length()) {
      return null;
    }
    String rest = path.substring(slash);
    return rest.equals("/tasks") || rest.equals("/tasks/")
        ? path.substring(prefix.length(), slash)
        : null;
  }

  private static TooLargeException tooLarge() {
    return new TooLargeException(
        "an enqueue request is at most " + TaskRequest.MAX_REQUEST + " bytes");
  }

  private static void json(Response response, Callback callback, int status, Object body)
      throws IOException {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(JSON.writeValueAsBytes(body)), callback);
  }

  /** Answers {@code e} with the status {@link ApiErrors} gives it. */
  private static void error(Response response, Callback callback, Throwable e) {
    int status = ApiErrors.statusOf(e);
    try {
      if (status == 401) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"silver-tasks\"");
      }
      // The body may not have been read: the connection cannot carry another request, and a
      // client told so does not try (a POST sent on it would be lost, not retried).
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
      json(response, callback, status, ApiErrors.bodyOf(e));
    } catch (IOException x) {
      callback.failed(x);
    }
  }
}

package org.silverlining.node.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.silverlining.node.NodeLayout;
import org.silverlining.node.admin.ApiException;
import org.silverlining.node.state.StateStore;

/**
 * The tasks API the node offers its app processes on a loopback connector of its own ({@code
 * SILVER_TASKS_URL}): {@code POST /queues/QUEUE/tasks} with {@code Authorization: Bearer
 * SILVER_TASKS_TOKEN} and a {@link TaskRequest} JSON body stores a task for the location of the
 * calling instance and answers 201 once it is committed. 401 for a wrong token, 404 for a queue the
 * instance's {@code app.ini} does not declare ({@code default} always exists), 409 for a name the
 * queue remembers, 413 beyond {@link TaskRequest#MAX_BODY}. Calls block their Jetty thread for the
 * commit.
 */
public final class TasksApi extends Handler.Abstract {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ENQUEUE = Pattern.compile("/queues/([^/]+)/tasks/?");

  private final TaskTokens tokens;
  private final StateStore state;
  private final NodeLayout layout;
  private final TaskDispatcher dispatcher;
  private final Map<String, QueueTable> queuesByInstance = new ConcurrentHashMap<>();

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
      Matcher m = ENQUEUE.matcher(Request.getPathInContext(request));
      if (!m.matches()) {
        throw new ApiException(404, "the tasks API is POST /queues/QUEUE/tasks");
      }
      if (!request.getMethod().equals("POST")) {
        throw new ApiException(405, "enqueue with POST /queues/QUEUE/tasks");
      }
      StateStore.InstanceRecord caller =
          state
              .instance(instance)
              .orElseThrow(() -> new ApiException(401, "the instance of this token is gone"));
      String queue = m.group(1);
      if (!QueueSettings.isQueueName(queue) || queues(caller).queue(queue).isEmpty()) {
        throw new ApiException(
            404, "no queue '" + queue + "'; declare it in app.ini as [queue:" + queue + "]");
      }
      long now = System.currentTimeMillis();
      org.silverlining.node.tasks.Task t = // not Handler's Invocable.Task
          dispatcher.enqueue(TaskRequest.parse(caller.location(), queue, body(request), now));
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
              + Instant.ofEpochMilli(t.etaMillis())
              + "\"}";
      response.setStatus(201);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.write(true, ByteBuffer.wrap(answer.getBytes(StandardCharsets.US_ASCII)), callback);
    } catch (ApiException e) {
      error(response, callback, e.status(), e.getMessage());
    } catch (TaskStore.DuplicateTaskException e) {
      error(response, callback, 409, e.getMessage());
    } catch (Exception e) {
      error(response, callback, 500, e.toString());
    }
    return true;
  }

  private String authenticate(Request request) throws ApiException {
    String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).strip() : null;
    return tokens
        .instanceOf(token)
        .orElseThrow(
            () -> new ApiException(401, "Authorization: Bearer $SILVER_TASKS_TOKEN is required"));
  }

  private QueueTable queues(StateStore.InstanceRecord caller) throws IOException {
    QueueTable t = queuesByInstance.get(caller.name());
    if (t == null) {
      Path ini = layout.instanceDir(caller.app(), caller.name()).resolve("app.ini");
      t = QueueTable.load(ini);
      queuesByInstance.put(caller.name(), t);
    }
    return t;
  }

  private static byte[] body(Request request) throws ApiException, IOException {
    long declared = request.getLength();
    if (declared > TaskRequest.MAX_REQUEST) {
      throw tooLarge();
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] body = in.readNBytes(TaskRequest.MAX_REQUEST + 1);
      if (body.length > TaskRequest.MAX_REQUEST) {
        throw tooLarge();
      }
      return body;
    }
  }

  private static ApiException tooLarge() {
    return new ApiException(
        413, "an enqueue request is at most " + TaskRequest.MAX_REQUEST + " bytes");
  }

  private static void json(Response response, Callback callback, int status, Object body)
      throws IOException {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(JSON.writeValueAsBytes(body)), callback);
  }

  private static void error(Response response, Callback callback, int status, String message) {
    try {
      if (status == 401) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"silver-tasks\"");
      }
      // The body may not have been read: the connection cannot carry another request, and a
      // client told so does not try (a POST sent on it would be lost, not retried).
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
      json(response, callback, status, Map.of("error", message));
    } catch (IOException e) {
      callback.failed(e);
    }
  }
}

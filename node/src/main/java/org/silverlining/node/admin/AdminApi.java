package org.silverlining.node.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.silverlining.core.AppArchive;
import org.silverlining.node.Node;
import org.silverlining.node.config.ConfigChange;
import org.silverlining.node.config.ConfigRejectedException;
import org.silverlining.node.deploy.DeployFailedException;
import org.silverlining.node.deploy.Deployer;
import org.silverlining.node.layout.Trees;
import org.silverlining.node.steps.Progress;

/**
 * The management API: JSON over HTTP under {@code /api/v1/}, every call with {@code Authorization:
 * Bearer TOKEN}. Calls run on a worker pool, never on the connector's threads. A deployment answers
 * with one JSON object per line as its stages complete, so the CLI can show progress.
 */
public final class AdminApi extends Handler.Abstract {
  public static final String PREFIX = "/api/v1/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Node node;
  private final Tokens tokens;
  private final ExecutorService workers;
  private final BackupApi backupApi;

  public AdminApi(Node node, Tokens tokens, ExecutorService workers) {
    this.node = node;
    this.tokens = tokens;
    this.workers = workers;
    this.backupApi = new BackupApi(node);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    workers.execute(() -> serve(request, response, callback));
    return true;
  }

  private void serve(Request request, Response response, Callback callback) {
    try {
      String path = Request.getPathInContext(request);
      if (!path.startsWith(PREFIX.substring(0, PREFIX.length() - 1))) {
        throw new ApiException(404, "the management API is under " + PREFIX);
      }
      String who = authenticate(request);
      String call = path.length() <= PREFIX.length() ? "" : path.substring(PREFIX.length());
      Fields q = Request.extractQueryParameters(request);
      String method = request.getMethod();
      switch (method + " " + call) {
        case "GET " -> json(response, callback, 200, node.describe());
        case "GET apps" -> json(response, callback, 200, node.query());
        case "POST deploy" -> deploy(request, response, callback, q, who);
        case "POST activate" ->
            json(
                response,
                callback,
                200,
                node.releases()
                    .activate(
                        required(q, "location"),
                        required(q, "instance"),
                        "true".equals(q.getValue("with_config")),
                        who));
        case "POST deactivate" ->
            json(response, callback, 200, node.releases().deactivate(required(q, "location"), who));
        case "POST disable" ->
            json(response, callback, 200, node.releases().setDisabled(appOf(q), true));
        case "POST enable" ->
            json(response, callback, 200, node.releases().setDisabled(appOf(q), false));
        case "POST clear" -> json(response, callback, 200, node.clear(required(q, "location")));
        case "GET logs" -> logs(request, response, callback, q);
        case "GET cron" ->
            json(response, callback, 200, node.jobs().cronJobs(required(q, "location")));
        case "POST cron/run" ->
            json(
                response,
                callback,
                200,
                node.jobs().runCronJob(required(q, "location"), required(q, "job")));
        case "GET tasks" ->
            json(response, callback, 200, node.jobs().taskQueues(required(q, "location")));
        case "POST tasks/retry" ->
            json(
                response, callback, 200, node.jobs().retryTask(required(q, "location"), taskId(q)));
        case "POST tasks/purge" ->
            json(
                response,
                callback,
                200,
                node.jobs().purgeQueue(required(q, "location"), required(q, "queue")));
        case "POST config/stage" -> configStage(request, response, callback);
        case "POST config/apply" -> configApply(response, callback, q, who);
        case "GET config" ->
            json(response, callback, 200, node.configView().history(required(q, "location")));
        case "GET config/files" ->
            json(
                response,
                callback,
                200,
                node.configView().files(required(q, "location"), revision(q)));
        case "GET config/archive" -> configArchive(response, callback, q);
        case "GET global-config" ->
            json(
                response,
                callback,
                200,
                node.configView()
                    .global(q.getValue("app"), "true".equals(q.getValue("show_secrets"))));
        case "POST global-config" ->
            json(
                response,
                callback,
                200,
                node.configView()
                    .changeGlobal(
                        blankToNull(q.getValue("app")),
                        required(q, "key"),
                        "true".equals(q.getValue("unset")) ? null : valueOf(q),
                        "true".equals(q.getValue("secret")),
                        who));
        case "GET secret" -> json(response, callback, 200, node.secretKeys());
        case "POST secret/rotate" ->
            json(response, callback, 200, node.rotateSecret(q.getValue("grace"), who));
        case "POST rollback" ->
            json(
                response,
                callback,
                200,
                node.releases()
                    .rollback(
                        required(q, "location"),
                        blankToNull(q.getValue("to")),
                        "true".equals(q.getValue("restore_data")),
                        "true".equals(q.getValue("with_config")),
                        who));
        case "GET manifest" ->
            json(
                response,
                callback,
                200,
                node.releases()
                    .manifest(required(q, "location"), blankToNull(q.getValue("instance"))));
        case "GET deployments" ->
            json(
                response,
                callback,
                200,
                node.releases().deployments(required(q, "location"), limit(q, 50)));
        case "GET backup" -> backupApi.download(request, response, callback, q);
        case "POST restore" -> backupApi.restore(request, response, callback, q);
        case "GET backups" ->
            json(response, callback, 200, backupApi.list(required(q, "location")));
        default -> throw new ApiException(404, "no API call " + method + " " + PREFIX + call);
      }
    } catch (ApiException e) {
      error(response, callback, e.status(), e.getMessage());
    } catch (Exception e) {
      error(response, callback, 500, e.toString());
    }
  }

  private String authenticate(Request request) throws ApiException, IOException {
    String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).strip() : null;
    return tokens
        .verify(token)
        .orElseThrow(
            () ->
                new ApiException(
                    401,
                    token == null
                        ? "a bearer token is required (Authorization: Bearer TOKEN)"
                        : "the token is not valid for this node"));
  }

  static String required(Fields q, String name) throws ApiException {
    String v = q.getValue(name);
    if (v == null || v.isBlank()) {
      throw new ApiException(400, "the parameter '" + name + "' is required");
    }
    return v;
  }

  private static int limit(Fields q, int dflt) throws ApiException {
    String v = q.getValue("limit");
    try {
      return v == null || v.isBlank() ? dflt : Math.max(1, Integer.parseInt(v.strip()));
    } catch (NumberFormatException e) {
      throw new ApiException(400, "limit is a number, not '" + v + "'");
    }
  }

  private static long taskId(Fields q) throws ApiException {
    try {
      return Long.parseLong(required(q, "id"));
    } catch (NumberFormatException e) {
      throw new ApiException(400, "a task id is a number, as silver tasks shows it");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String valueOf(Fields q) throws ApiException {
    String v = q.getValue("value");
    if (v == null) {
      throw new ApiException(400, "the parameter 'value' is required (or unset=true)");
    }
    return v;
  }

  private int revision(Fields q) throws Exception {
    String r = q.getValue("revision");
    return r == null || r.isBlank()
        ? 0
        : node.configView().revisionNamed(required(q, "location"), r);
  }

  private void configStage(Request request, Response response, Callback callback) throws Exception {
    String id;
    try (InputStream body = Content.Source.asInputStream(request)) {
      id = node.configUploads().receive(body);
    } catch (ConfigRejectedException e) {
      throw new ApiException(413, e.getMessage());
    }
    json(response, callback, 200, Map.of("id", id));
  }

  /** The configuration change the parameters ask for; an upload is named by {@code config}. */
  private ConfigChange changeOf(Fields q) throws Exception {
    String stage = blankToNull(q.getValue("config"));
    String revert = blankToNull(q.getValue("revert"));
    boolean delete = "true".equals(q.getValue("delete"));
    if ((stage != null ? 1 : 0) + (revert != null ? 1 : 0) + (delete ? 1 : 0) > 1) {
      throw new ApiException(400, "give one of config, revert and delete");
    }
    try {
      if (stage != null) {
        return ConfigChange.upload(node.configUploads().folder(stage), q.getValue("message"));
      }
    } catch (ConfigRejectedException e) {
      throw new ApiException(404, e.getMessage());
    }
    if (revert != null) {
      return ConfigChange.revert(node.configView().revisionNamed(required(q, "location"), revert));
    }
    return delete ? ConfigChange.delete() : ConfigChange.KEEP;
  }

  private void configApply(Response response, Callback callback, Fields q, String who)
      throws Exception {
    String location = required(q, "location");
    node.appAt(location); // 404 before the stream starts
    ConfigChange change = changeOf(q);
    if (change.kind() == ConfigChange.Kind.KEEP) {
      throw new ApiException(400, "say what to change: config, revert or delete");
    }
    try {
      streamed(
          response,
          callback,
          lines -> node.deployer().reconfigure(location, change, who, lines),
          node.urlsOf(location));
    } finally {
      discardUpload(q);
    }
  }

  private void discardUpload(Fields q) throws IOException {
    String stage = blankToNull(q.getValue("config"));
    if (stage != null) {
      node.configUploads().discard(stage);
    }
  }

  private void configArchive(Response response, Callback callback, Fields q) throws Exception {
    Path tmp = Files.createTempDirectory(node.layout().uploadsDir(), "dump-");
    try {
      Path tree = tmp.resolve("tree");
      node.configView().dump(required(q, "location"), revision(q), tree);
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/gzip");
      try (OutputStream out = Content.Sink.asOutputStream(response)) {
        AppArchive.pack(tree, out);
      }
      callback.succeeded();
    } finally {
      Trees.delete(tmp);
    }
  }

  /** Work that reports progress, answered as JSON lines ending with a result line. */
  private interface ProgressWork {
    String run(Progress progress) throws Exception;
  }

  private static void streamed(Response response, Callback callback, ProgressWork work, Object urls)
      throws IOException {
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson");
    try (OutputStream out = Content.Sink.asOutputStream(response)) {
      LineWriter lines = new LineWriter(out);
      try {
        String instance = work.run(lines);
        lines.send(Map.of("result", "ok", "instance", instance, "urls", urls));
      } catch (DeployFailedException e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", "failed");
        m.put("stage", e.stage());
        m.put("error", e.getMessage());
        m.put("log", e.logTail());
        if (!e.undoProblems().isEmpty()) {
          m.put("undo_problems", e.undoProblems());
        }
        lines.send(m);
      } catch (Exception e) {
        lines.send(Map.of("result", "failed", "stage", "request", "error", String.valueOf(e)));
      }
    }
    callback.succeeded();
  }

  /** The {@code vcs} parameter: a JSON object of at most 2 KiB, or {@code {}}. */
  private static String vcsOf(Fields q) throws ApiException {
    String v = q.getValue("vcs");
    if (v == null || v.isBlank()) {
      return "{}";
    }
    try {
      if (v.length() > 2048 || !JSON.readTree(v).isObject()) {
        throw new ApiException(400, "vcs must be a JSON object of at most 2 KiB");
      }
    } catch (IOException e) {
      throw new ApiException(400, "vcs is not JSON: " + e.getMessage());
    }
    return v;
  }

  private String appOf(Fields q) throws ApiException, Exception {
    String app = q.getValue("app");
    if (app != null && !app.isBlank()) {
      return app;
    }
    return node.appAt(required(q, "location"));
  }

  private void deploy(Request request, Response response, Callback callback, Fields q, String who)
      throws Exception {
    Deployer.Request req =
        new Deployer.Request(
            required(q, "app"),
            required(q, "location"),
            "true".equals(q.getValue("replace")),
            q.getValue("sha256"),
            who,
            vcsOf(q));
    try {
      node.deployer().admit(req);
    } catch (DeployFailedException e) {
      throw new ApiException(
          e.getMessage().startsWith("invalid location") ? 400 : 409, e.getMessage());
    }
    ConfigChange change = changeOf(q);
    try (InputStream body = Content.Source.asInputStream(request)) {
      streamed(
          response,
          callback,
          lines -> node.deployer().deploy(req, body, change, lines),
          node.urlsOf(req.location()));
    } finally {
      discardUpload(q);
    }
  }

  /** Progress as JSON lines, flushed one by one. */
  private static final class LineWriter implements Progress {
    private final OutputStream out;

    LineWriter(OutputStream out) {
      this.out = out;
    }

    synchronized void send(Map<String, ?> m) {
      try {
        out.write(JSON.writeValueAsBytes(m));
        out.write('\n');
        out.flush();
      } catch (IOException e) {
        // the client went away; the deployment goes on and is recorded
      }
    }

    @Override
    public void started(String stage) {
      send(Map.of("stage", stage, "status", "started"));
    }

    @Override
    public void finished(String stage, long millis, String detail) {
      send(Map.of("stage", stage, "status", "done", "ms", millis, "detail", detail));
    }

    @Override
    public void note(String text) {
      send(Map.of("note", text));
    }
  }

  private void logs(Request request, Response response, Callback callback, Fields q)
      throws Exception {
    String app = appOf(q);
    Path file = node.layout().appLog(app);
    int n = q.getValue("n") == null ? 100 : Integer.parseInt(q.getValue("n"));
    boolean follow = "true".equals(q.getValue("follow"));
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    try (OutputStream out = Content.Sink.asOutputStream(response)) {
      long offset = 0;
      if (Files.exists(file)) {
        Deque<String> last = new ArrayDeque<>();
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          String line;
          while ((line = reader.readLine()) != null) {
            last.addLast(line);
            if (last.size() > n) {
              last.removeFirst();
            }
          }
        }
        for (String line : last) {
          out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        offset = Files.size(file);
      }
      out.flush();
      while (follow) {
        Thread.sleep(200);
        if (!Files.exists(file)) {
          continue;
        }
        long size = Files.size(file);
        if (size < offset) {
          offset = 0; // rotated
        }
        if (size > offset) {
          try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(offset);
            byte[] buf = new byte[(int) Math.min(size - offset, 1 << 20)];
            raf.readFully(buf);
            out.write(buf);
            offset += buf.length;
          }
        }
        out.flush(); // fails once the client has gone, which ends the loop
      }
    } catch (IOException e) {
      // a follower disconnected
    }
    callback.succeeded();
  }

  private static void json(Response response, Callback callback, int status, Object body)
      throws IOException {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(JSON.writeValueAsBytes(body)), callback);
  }

  private static void error(Response response, Callback callback, int status, String message) {
    try {
      if (response.isCommitted()) {
        callback.failed(new IOException(message));
        return;
      }
      if (status == 401) {
        // Required with every 401 (RFC 9110 §11.6.1); strict clients refuse the answer without it.
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"silver\"");
      }
      json(response, callback, status, Map.of("error", message));
    } catch (IOException e) {
      callback.failed(e);
    }
  }
}

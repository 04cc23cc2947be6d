package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Consumer;

/** Talks to one node's management API; turns transport and HTTP failures into plain messages. */
public final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final NodeRegistry.NodeRef node;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public ApiClient(NodeRegistry.NodeRef node) {
    this.node = node;
  }

  public NodeRegistry.NodeRef node() {
    return node;
  }

  public JsonNode get(String call, Map<String, String> params) throws IOException {
    return json(send(request(call, params).GET().build()));
  }

  public JsonNode post(String call, Map<String, String> params) throws IOException {
    return json(send(request(call, params).POST(HttpRequest.BodyPublishers.noBody()).build()));
  }

  /** POSTs {@code file} and returns the JSON answer. */
  public JsonNode postFile(String call, Map<String, String> params, Path file) throws IOException {
    return json(
        send(
            request(call, params)
                .header("Content-Type", "application/gzip")
                .POST(HttpRequest.BodyPublishers.ofFile(file))
                .build()));
  }

  /** GETs a binary answer into {@code file}. */
  public void download(String call, Map<String, String> params, Path file) throws IOException {
    HttpResponse<InputStream> r = send(request(call, params).GET().build());
    try (InputStream in = r.body()) {
      java.nio.file.Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** POSTs {@code file} and hands each line of the streamed answer to {@code onLine}. */
  public void postFileStreaming(
      String call, Map<String, String> params, Path file, Consumer<JsonNode> onLine)
      throws IOException {
    postStreaming(
        request(call, params)
            .header("Content-Type", "application/gzip")
            .POST(HttpRequest.BodyPublishers.ofFile(file))
            .build(),
        onLine);
  }

  /** POSTs without a body and hands each line of the streamed answer to {@code onLine}. */
  public void postStreaming(String call, Map<String, String> params, Consumer<JsonNode> onLine)
      throws IOException {
    postStreaming(request(call, params).POST(HttpRequest.BodyPublishers.noBody()).build(), onLine);
  }

  private void postStreaming(HttpRequest req, Consumer<JsonNode> onLine) throws IOException {
    HttpResponse<InputStream> r = send(req);
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (!line.isBlank()) {
          onLine.accept(JSON.readTree(line));
        }
      }
    } catch (IOException e) {
      // The node stopped (or was killed) while it worked: say so, not with a stack trace.
      throw new UserException(
          "the connection to the node '"
              + node.name()
              + "' broke before it finished ("
              + e.getMessage()
              + "); see what it did with: silver query --node "
              + node.name());
    }
  }

  /** GETs a text stream and copies it to {@code out} as it comes. */
  public void getText(String call, Map<String, String> params, java.io.PrintStream out)
      throws IOException {
    HttpResponse<InputStream> r = send(request(call, params).GET().build());
    try (InputStream in = r.body()) {
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    }
  }

  private HttpRequest.Builder request(String call, Map<String, String> params) {
    StringJoiner q = new StringJoiner("&", "?", "");
    q.setEmptyValue("");
    params.forEach(
        (k, v) -> {
          if (v != null) {
            q.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
          }
        });
    return HttpRequest.newBuilder(URI.create(node.adminUrl() + "/api/v1/" + call + q))
        .header("Authorization", "Bearer " + node.token());
  }

  private HttpResponse<InputStream> send(HttpRequest req) throws IOException {
    HttpResponse<InputStream> r;
    try {
      r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException e) {
      throw new UserException(
          "cannot reach the node '"
              + node.name()
              + "' at "
              + node.adminUrl()
              + ": is it running?"
              + (node.root() != null ? " (silver node start --root " + node.root() + ")" : ""));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserException("interrupted");
    } catch (IOException e) {
      throw new UserException(
          "talking to the node '" + node.name() + "' at " + node.adminUrl() + " failed: " + e);
    }
    if (r.statusCode() == 401) {
      r.body().close();
      throw new UserException(
          "the node '"
              + node.name()
              + "' refused the token in "
              + node.file()
              + "; register the node again with its current token");
    }
    if (r.statusCode() >= 400) {
      String body;
      try (InputStream in = r.body()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      String message = body;
      try {
        JsonNode j = JSON.readTree(body);
        if (j.has("error")) {
          message = j.get("error").asText();
        }
      } catch (IOException e) {
        // not JSON: show it as it is
      }
      throw new UserException(message);
    }
    return r;
  }

  private static JsonNode json(HttpResponse<InputStream> r) throws IOException {
    try (InputStream in = r.body()) {
      return JSON.readTree(in);
    }
  }
}

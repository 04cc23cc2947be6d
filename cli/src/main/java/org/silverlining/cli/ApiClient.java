package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Consumer;

/** Talks to one node's management API; turns transport and HTTP failures into plain messages. */
public final class ApiClient {
  /** Made on first use: a command that reads no JSON (a backup to a folder) starts without it. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private static final int CONNECT_TIMEOUT_MILLIS = 5000;
  private static final int STREAM_CHUNK = 64 * 1024;

  /** What a file upload reads at a time: large, so that a big file costs few calls. */
  private static final int UPLOAD_BUFFER = 1 << 20;

  private final NodeRegistry.NodeRef node;

  /** The pinned certificate of an {@code https://} management API; made on first use. */
  private PinnedTls pinned;

  public ApiClient(NodeRegistry.NodeRef node) {
    this.node = node;
  }

  private void secure(HttpURLConnection c) {
    if (!(c instanceof javax.net.ssl.HttpsURLConnection https)) {
      return;
    }
    if (node.fingerprint() == null) {
      throw new UserException(
          "the node '"
              + node.name()
              + "' serves its management API over TLS, but "
              + node.file()
              + " pins no certificate fingerprint; record the one the node's init printed with:"
              + " silver node trust "
              + node.name()
              + " --fingerprint sha256:...");
    }
    if (pinned == null) {
      pinned = new PinnedTls(node.fingerprint());
    }
    pinned.apply(https);
  }

  /** The refusal of a certificate that is not the pinned one, naming both fingerprints. */
  private UserException pinRefused() {
    return new UserException(
        "the node '"
            + node.name()
            + "' at "
            + node.adminUrl()
            + " presented a certificate with the fingerprint "
            + pinned.refused()
            + ", but "
            + node.file()
            + " pins the fingerprint "
            + pinned.expected()
            + "; nothing was sent. If the node's key was changed on purpose, check the new"
            + " fingerprint on the node and run: silver node trust "
            + node.name()
            + " --fingerprint "
            + pinned.refused());
  }

  public NodeRegistry.NodeRef node() {
    return node;
  }

  /**
   * Whether something listens at the node's management API: false when the connection is refused or
   * not made within the connect timeout (the node is down or unreachable).
   */
  public boolean isUp() {
    java.net.URI uri = java.net.URI.create(node.adminUrl());
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(
          new java.net.InetSocketAddress(uri.getHost(), uri.getPort()), CONNECT_TIMEOUT_MILLIS);
      return true;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  public JsonNode get(String call, Map<String, String> params) throws IOException {
    return json(send("GET", call, params, null));
  }

  public JsonNode post(String call, Map<String, String> params) throws IOException {
    return json(send("POST", call, params, null));
  }

  /** POSTs {@code text} (UTF-8) and returns the JSON answer. */
  public JsonNode postText(String call, Map<String, String> params, String text)
      throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Body body =
        new Body() {
          @Override
          public long length() {
            return bytes.length;
          }

          @Override
          public void writeTo(OutputStream out) throws IOException {
            out.write(bytes);
          }
        };
    return json(connect("POST", call, params, "text/plain", body).getInputStream());
  }

  /** POSTs {@code file} and returns the JSON answer. */
  public JsonNode postFile(String call, Map<String, String> params, Path file) throws IOException {
    return json(send("POST", call, params, file));
  }

  /** GETs a binary answer into {@code file}. */
  public void download(String call, Map<String, String> params, Path file) throws IOException {
    try (InputStream in = send("GET", call, params, null)) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** POSTs {@code file} and hands each line of the streamed answer to {@code onLine}. */
  public void postFileStreaming(
      String call, Map<String, String> params, Path file, Consumer<JsonNode> onLine)
      throws IOException {
    readLines(send("POST", call, params, file), onLine);
  }

  /** POSTs without a body and hands each line of the streamed answer to {@code onLine}. */
  public void postStreaming(String call, Map<String, String> params, Consumer<JsonNode> onLine)
      throws IOException {
    readLines(send("POST", call, params, null), onLine);
  }

  private void readLines(InputStream body, Consumer<JsonNode> onLine) {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (!line.isBlank()) {
          onLine.accept(Json.MAPPER.readTree(line));
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
    try (InputStream in = send("GET", call, params, null)) {
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    }
  }

  private URL url(String call, Map<String, String> params) throws IOException {
    StringJoiner q = new StringJoiner("&", "?", "");
    q.setEmptyValue("");
    params.forEach(
        (k, v) -> {
          if (v != null) {
            q.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
          }
        });
    return URI.create(node.adminUrl() + "/api/v1/" + call + q).toURL();
  }

  /**
   * Sends one request and returns the answer's body as it arrives. The JDK's plain URL connection
   * is used rather than java.net.http: it starts in a fraction of the time (no TLS set-up), which
   * every command pays.
   */
  private InputStream send(String method, String call, Map<String, String> params, Path upload)
      throws IOException {
    Body body = upload == null ? null : Body.of(upload);
    return connect(method, call, params, "application/gzip", body).getInputStream();
  }

  /**
   * A request body, written straight into the connection as it is sent. With its length known
   * before the first byte, it goes with a {@code Content-Length}, each write straight to the
   * socket; otherwise chunked.
   */
  public interface Body {
    /** The length in bytes that {@link #writeTo} writes, or -1 when not known in advance. */
    long length();

    /** Writes the body to {@code out} (which the caller closes). */
    void writeTo(OutputStream out) throws IOException;

    /** The bytes of {@code file}, copied in large blocks. */
    static Body of(Path file) throws IOException {
      long size = Files.size(file);
      return new Body() {
        @Override
        public long length() {
          return size;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
          try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[UPLOAD_BUFFER];
            int n;
            while ((n = in.read(buf)) > 0) {
              out.write(buf, 0, n);
            }
          }
        }
      };
    }
  }

  /** An answer being read: its body and headers. */
  public record Download(InputStream body, HttpURLConnection connection) {
    public String header(String name) {
      return connection.getHeaderField(name);
    }
  }

  /** GETs a binary answer, to be read as it arrives. */
  public Download open(String call, Map<String, String> params) throws IOException {
    HttpURLConnection c = connect("GET", call, params, null, null);
    return new Download(c.getInputStream(), c);
  }

  /**
   * POSTs what {@code body} gives, as it comes (chunked: its length need not be known), and hands
   * each line of the streamed answer to {@code onLine}.
   */
  public void postStreamStreaming(
      String call, Map<String, String> params, InputStream body, Consumer<JsonNode> onLine)
      throws IOException {
    postStreaming(
        call,
        params,
        new Body() {
          @Override
          public long length() {
            return -1;
          }

          @Override
          public void writeTo(OutputStream out) throws IOException {
            body.transferTo(out);
          }
        },
        onLine);
  }

  /** POSTs {@code body} as it is written, and hands each line of the answer to {@code onLine}. */
  public void postStreaming(
      String call, Map<String, String> params, Body body, Consumer<JsonNode> onLine)
      throws IOException {
    readLines(
        connect("POST", call, params, "application/octet-stream", body).getInputStream(), onLine);
  }

  private HttpURLConnection connect(
      String method, String call, Map<String, String> params, String contentType, Body body)
      throws IOException {
    HttpURLConnection c = (HttpURLConnection) url(call, params).openConnection();
    secure(c);
    c.setRequestMethod(method);
    c.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
    c.setRequestProperty("Authorization", "Bearer " + node.token());
    int status;
    try {
      if (body != null) {
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", contentType);
        if (body.length() >= 0) {
          c.setFixedLengthStreamingMode(body.length());
        } else {
          c.setChunkedStreamingMode(STREAM_CHUNK);
        }
        try (OutputStream out = c.getOutputStream()) {
          body.writeTo(out);
        }
      } else if (method.equals("POST")) {
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(0);
        c.getOutputStream().close();
      }
      status = c.getResponseCode();
    } catch (ConnectException e) {
      throw new UserException(
          "cannot reach the node '"
              + node.name()
              + "' at "
              + node.adminUrl()
              + ": is it running?"
              + (node.root() != null ? " (silver node start --root " + node.root() + ")" : ""));
    } catch (IOException e) {
      if (pinned != null && pinned.refused() != null) {
        throw pinRefused();
      }
      throw new UserException(
          "talking to the node '" + node.name() + "' at " + node.adminUrl() + " failed: " + e);
    }
    if (status == 401) {
      throw new UserException(
          "the node '"
              + node.name()
              + "' refused the token in "
              + node.file()
              + "; register the node again with its current token");
    }
    if (status >= 400) {
      String answer;
      try (InputStream in = c.getErrorStream()) {
        answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      String message = answer.isEmpty() ? "the node answered " + status : answer;
      try {
        JsonNode j = Json.MAPPER.readTree(answer);
        if (j != null && j.has("error")) {
          message = j.get("error").asText();
        }
      } catch (IOException e) {
        // not JSON: show it as it is
      }
      throw new UserException(message);
    }
    return c;
  }

  private static JsonNode json(InputStream body) throws IOException {
    try (InputStream in = body) {
      return Json.MAPPER.readTree(in);
    }
  }
}

package org.silverlining.node.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.silverlining.node.errors.InvalidRequestException;
import org.silverlining.node.errors.RefusedException;
import org.silverlining.node.errors.TooLargeException;

/**
 * The JSON body of {@code POST /queues/QUEUE/tasks}, read and checked: {@code path} (required),
 * {@code name}, {@code delay_seconds} or {@code eta} (ISO-8601 or seconds since the epoch), {@code
 * method} (default POST), {@code headers}, and {@code body} (text, sent as UTF-8) or {@code
 * body_base64}. A refusal is a {@link RefusedException} saying why.
 */
final class TaskRequest {
  /** The largest task body, after base64 decoding. */
  static final int MAX_BODY = 1 << 20;

  /** The largest enqueue request (a 1 MiB body in base64 with its JSON around it). */
  static final int MAX_REQUEST = 2 << 20;

  /** How far ahead an ETA may be, as on App Engine. */
  static final Duration MAX_DELAY = Duration.ofDays(30);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,500}");
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Set<String> FIELDS =
      Set.of("name", "delay_seconds", "eta", "method", "path", "headers", "body", "body_base64");
  private static final Set<String> METHODS =
      Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
  // Set by the HTTP client itself, or the node's own.
  private static final Set<String> RESERVED_HEADERS =
      Set.of(
          "host",
          "content-length",
          "connection",
          "expect",
          "upgrade",
          "transfer-encoding",
          "te",
          "trailer",
          "keep-alive",
          "proxy-connection");

  private TaskRequest() {}

  static Task.New parse(String location, String queue, byte[] json, long nowMillis)
      throws RefusedException {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("the body is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidRequestException("the body is not JSON: " + e.getMessage());
    }
    if (n == null || !n.isObject()) {
      throw new InvalidRequestException(
          "the body must be a JSON object such as {\"path\": \"/work\"}");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new InvalidRequestException("unknown field '" + f + "'");
      }
    }
    String name = text(n, "name");
    if (name != null && !NAME.matcher(name).matches()) {
      throw new InvalidRequestException("a task name is 1 to 500 letters, digits, _ and -");
    }
    String path = text(n, "path");
    if (path == null || !path.startsWith("/")) {
      throw new InvalidRequestException(
          "'path' is required and starts with /, e.g. \"/tasks/mail\"");
    }
    if (!isPlainPath(path)) {
      try {
        new URI("http://127.0.0.1" + path);
      } catch (URISyntaxException e) {
        throw new InvalidRequestException("'path' is not a valid URL path: " + e.getReason());
      }
    }
    String method = text(n, "method");
    method = method == null ? "POST" : method.toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw new InvalidRequestException("'method' is one of " + METHODS);
    }
    return new Task.New(
        location, queue, name, method, path, headers(n), body(n), eta(n, nowMillis));
  }

  /**
   * Whether {@code path} has only characters a URL path and query take as they are (no escapes):
   * then it is valid without parsing it as a URI, which costs more than the rest of a check.
   */
  static boolean isPlainPath(String path) {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "-._~!$&'()*+,;=:@/?".indexOf(c) >= 0;
      if (!plain) {
        return false;
      }
    }
    return true;
  }

  private static String text(JsonNode n, String field) throws RefusedException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new InvalidRequestException("'" + field + "' must be a string");
    }
    return v.asText();
  }

  private static Map<String, String> headers(JsonNode n) throws RefusedException {
    JsonNode h = n.get("headers");
    Map<String, String> out = new LinkedHashMap<>();
    if (h == null || h.isNull()) {
      return out;
    }
    if (!h.isObject()) {
      throw new InvalidRequestException("'headers' must be an object of strings");
    }
    for (Map.Entry<String, JsonNode> e : h.properties()) {
      String key = e.getKey();
      String lower = key.toLowerCase(Locale.ROOT);
      if (!HEADER_NAME.matcher(key).matches() || !e.getValue().isTextual()) {
        throw new InvalidRequestException("header '" + key + "' is not a name with a string value");
      }
      if (RESERVED_HEADERS.contains(lower) || lower.startsWith("x-silver-")) {
        throw new InvalidRequestException("header '" + key + "' is set by the node, not by a task");
      }
      String value = e.getValue().asText();
      if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
        throw new InvalidRequestException("header '" + key + "' has a line break in its value");
      }
      out.put(key, value);
    }
    return out;
  }

  private static byte[] body(JsonNode n) throws RefusedException {
    String text = text(n, "body");
    String base64 = text(n, "body_base64");
    if (text != null && base64 != null) {
      throw new InvalidRequestException("give 'body' or 'body_base64', not both");
    }
    byte[] body;
    try {
      body =
          base64 != null
              ? Base64.getDecoder().decode(base64)
              : text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("'body_base64' is not base64: " + e.getMessage());
    }
    if (body.length > MAX_BODY) {
      throw new TooLargeException(
          "a task body is at most " + MAX_BODY + " bytes, not " + body.length);
    }
    return body;
  }

  private static long eta(JsonNode n, long nowMillis) throws RefusedException {
    JsonNode delay = n.get("delay_seconds");
    JsonNode eta = n.get("eta");
    if (delay != null && !delay.isNull() && eta != null && !eta.isNull()) {
      throw new InvalidRequestException("give 'delay_seconds' or 'eta', not both");
    }
    long at = nowMillis;
    if (delay != null && !delay.isNull()) {
      if (!delay.isNumber() || delay.asDouble() < 0) {
        throw new InvalidRequestException("'delay_seconds' must be a number of seconds, 0 or more");
      }
      at = nowMillis + (long) (delay.asDouble() * 1000);
    } else if (eta != null && !eta.isNull()) {
      if (eta.isNumber()) {
        at = (long) (eta.asDouble() * 1000);
      } else {
        try {
          at = Instant.parse(eta.asText()).toEpochMilli();
        } catch (DateTimeParseException e) {
          throw new InvalidRequestException(
              "'eta' is an ISO-8601 instant such as 2030-01-01T09:00:00Z, or epoch seconds");
        }
      }
    }
    if (at - nowMillis > MAX_DELAY.toMillis()) {
      throw new InvalidRequestException("a task runs at most 30 days ahead");
    }
    return at;
  }
}

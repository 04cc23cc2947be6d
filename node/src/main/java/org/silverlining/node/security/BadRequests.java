package org.silverlining.node.security;

import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.ComplianceViolation;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The server's error handler, which records the requests Jetty refuses before any handler runs:
 * what its HTTP parser cannot read (400, 414, 431), paths that climb above the root with {@code ..}
 * ({@code traversal}: Jetty refuses them as a "Bad URI", plain or encoded), and requests framed two
 * ways at once ({@code smuggling}: a Content-Length with a Transfer-Encoding, two
 * Content-Lengths...). Then Jetty's own error page is written.
 */
public final class BadRequests extends ErrorHandler {
  /** Jetty's placeholder path for a request whose line it could not read. */
  private static final String NO_PATH = "/badMessage";

  private static final Set<String> SMUGGLING =
      descriptions(
          HttpCompliance.Violation.MULTIPLE_CONTENT_LENGTHS,
          HttpCompliance.Violation.TRANSFER_ENCODING_WITH_CONTENT_LENGTH,
          HttpCompliance.Violation.DUPLICATE_HOST_HEADERS,
          HttpCompliance.Violation.WHITESPACE_AFTER_FIELD_NAME,
          HttpCompliance.Violation.LF_CHUNK_TERMINATION);

  private final SecurityLog log;

  public BadRequests(SecurityLog log) {
    this.log = log;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException failure
        && request.getAttribute(ERROR_STATUS) instanceof Integer status
        && (status == 400 || status == 414 || status == 431)) {
      log.record(event(request, status, (Throwable) failure));
    }
    return super.handle(request, response, callback);
  }

  private static SecurityEvent event(Request request, int status, Throwable failure) {
    String message = String.valueOf(request.getAttribute(ERROR_MESSAGE));
    String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
    String target = path == null || path.equals(NO_PATH) ? "-" : path;
    SecurityEvent.Kind kind;
    String detail;
    if (failure.getCause() instanceof IllegalArgumentException bad
        && "Bad URI".equals(bad.getMessage())) {
      kind = SecurityEvent.Kind.TRAVERSAL;
      detail = "refused (" + status + "): the path climbs above the root with ..";
    } else if (climbs(target)) {
      kind = SecurityEvent.Kind.TRAVERSAL;
      detail = "refused (" + status + "): " + message;
    } else if (SMUGGLING.contains(message) || message.contains("Transfer-Encoding")) {
      kind = SecurityEvent.Kind.SMUGGLING;
      detail = "refused (" + status + "): " + message;
    } else {
      kind = SecurityEvent.Kind.MALFORMED;
      detail = "refused (" + status + "): " + message;
    }
    return new SecurityEvent(
        java.time.Instant.now().toString(),
        Request.getRemoteAddr(request),
        kind,
        target.equals("-") ? "-" : request.getMethod(),
        target,
        detail,
        false,
        null);
  }

  /**
   * The event of a request head the front's byte-level proxy refused with {@code status} (400, 431)
   * before Jetty saw it: {@code smuggling} when it frames its body or names its host twice, {@code
   * traversal} when its path climbs, else {@code malformed}. A rare path: it reads the head again.
   */
  public static SecurityEvent refusedHead(String client, int status, String head) {
    String[] lines = head.split("\r?\n", -1);
    String[] requestLine = lines[0].split(" ", 3);
    String method = requestLine.length == 3 ? requestLine[0] : "-";
    String target = requestLine.length == 3 ? requestLine[1] : "-";
    int q = target.indexOf('?');
    target = q < 0 ? target : target.substring(0, q);
    int lengths = 0;
    int encodings = 0;
    int hosts = 0;
    for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
      String l = lines[i].toLowerCase(Locale.ROOT);
      lengths += l.startsWith("content-length") ? 1 : 0;
      encodings += l.startsWith("transfer-encoding") ? 1 : 0;
      hosts += l.startsWith("host") ? 1 : 0;
    }
    SecurityEvent.Kind kind;
    String detail;
    if (status == 400 && (lengths > 1 || encodings > 1 || hosts > 1 || lengths + encodings > 1)) {
      kind = SecurityEvent.Kind.SMUGGLING;
      detail = "refused (400): the body is framed or the host named more than once";
    } else if (status == 400 && encodings > 0) {
      kind = SecurityEvent.Kind.SMUGGLING;
      detail = "refused (400): a Transfer-Encoding other than chunked";
    } else if (climbs(target)) {
      kind = SecurityEvent.Kind.TRAVERSAL;
      detail = "refused (" + status + "): the path climbs with ..";
    } else {
      kind = SecurityEvent.Kind.MALFORMED;
      detail =
          status == 431
              ? "refused (431): the request's head is too large"
              : "refused (400): a malformed request head";
    }
    return new SecurityEvent(
        java.time.Instant.now().toString(), client, kind, method, target, detail, false, null);
  }

  /** True when {@code path} (raw, as sent) has a {@code ..} segment, plain or percent-encoded. */
  static boolean climbs(String path) {
    if (path == null || (path.indexOf('.') < 0 && path.indexOf('%') < 0)) {
      return false;
    }
    String p =
        path.toLowerCase(Locale.ROOT)
            .replace("%252e", ".")
            .replace("%2e", ".")
            .replace("%252f", "/")
            .replace("%2f", "/")
            .replace("%5c", "/")
            .replace('\\', '/');
    return p.contains("/../") || p.endsWith("/..") || p.contains("/..;");
  }

  private static Set<String> descriptions(ComplianceViolation... violations) {
    java.util.Set<String> d = new java.util.HashSet<>();
    for (ComplianceViolation v : violations) {
      d.add(v.getDescription());
    }
    return Set.copyOf(d);
  }
}

package org.silverlining.node.front;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.silverlining.node.staticfiles.FileRoots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A general file, as Apache's {@code mod_asis} serves them: {@code NAME.asis} is answered at {@code
 * NAME} with the status, headers and body written in it —
 *
 * <pre>
 * Status: 301 Moved Permanently
 * Location: https://example.com/new
 *
 * moved
 * </pre>
 *
 * Header lines up to the first blank line, then the body as it is. {@code Status} is optional
 * (200); {@code Content-Length} is computed, never taken from the file. A file that is not of this
 * form is answered 500 and named in the node's log, so the mistake is found, not served.
 */
final class AsisFile {
  static final String SUFFIX = ".asis";
  static final long MAX_BYTES = 8L * 1024 * 1024;
  private static final Logger log = LoggerFactory.getLogger(AsisFile.class);

  private AsisFile() {}

  /**
   * The {@code .asis} file a request for {@code rest} at {@code host} names: in the deployment's
   * static folder, else the writable root ({@code HOST/} below it first; a link there must stay
   * inside it). Null when there is none, and for {@code GET}/{@code HEAD} only.
   */
  static Path find(FileRoots roots, String method, String rest, String host) throws IOException {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return null;
    }
    Path f = roots.staticDir() == null ? null : fileFor(roots.staticDir(), rest);
    Path writable = roots.writableRoot();
    if (f == null && writable != null) {
      Path perHost = writable.resolve(host).normalize();
      if (perHost.getParent().equals(writable) && Files.isDirectory(perHost)) {
        f = fileFor(perHost, rest);
      }
      f = f != null ? f : fileFor(writable, rest);
      if (f != null && !f.toRealPath().startsWith(writable.toRealPath())) {
        return null;
      }
    }
    return f;
  }

  /** True when {@code rest} names a {@code .asis} file itself, which is never served as it is. */
  static boolean isAsisName(String rest) {
    return rest.toLowerCase(Locale.ROOT).endsWith(SUFFIX);
  }

  /** The {@code .asis} file {@code rest} names in {@code dir}, or null. */
  static Path fileFor(Path dir, String rest) {
    if (rest.endsWith("/") || rest.indexOf('\0') >= 0) {
      return null;
    }
    Path file = dir.resolve(rest.substring(1) + SUFFIX).normalize();
    return file.startsWith(dir) && Files.isRegularFile(file) ? file : null;
  }

  /** The answer a file holds; {@code problem} says what is wrong with a malformed one. */
  record Answer(int status, HttpFields headers, ByteBuffer body) {}

  /** A file that is not a status, headers, a blank line and a body. */
  static final class MalformedException extends Exception {
    MalformedException(String problem) {
      super(problem);
    }
  }

  /** Reads {@code file}'s answer. */
  static Answer read(Path file) throws IOException, MalformedException {
    if (Files.size(file) > MAX_BYTES) {
      throw new MalformedException("larger than " + MAX_BYTES / (1024 * 1024) + " MB");
    }
    byte[] bytes = Files.readAllBytes(file);
    int status = 200;
    HttpFields.Mutable headers = HttpFields.build();
    int i = 0;
    for (int line = 1; ; line++) {
      int eol = indexOf(bytes, (byte) '\n', i);
      if (eol < 0) {
        throw new MalformedException("no blank line after the headers (line " + line + ")");
      }
      String text = new String(bytes, i, eol - i, StandardCharsets.ISO_8859_1);
      i = eol + 1;
      if (text.endsWith("\r")) {
        text = text.substring(0, text.length() - 1);
      }
      if (text.isEmpty()) {
        break;
      }
      int colon = text.indexOf(':');
      String name = colon > 0 ? text.substring(0, colon).strip() : "";
      String value = colon > 0 ? text.substring(colon + 1).strip() : "";
      if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")
          || value.chars().anyMatch(c -> c < ' ' && c != '\t' || c == 0x7f)) {
        throw new MalformedException("line " + line + " is not a header 'Name: value': " + text);
      }
      switch (name.toLowerCase(Locale.ROOT)) {
        case "status" -> status = status(value, line);
        case "content-length", "transfer-encoding", "connection" -> {} // the front frames it
        default -> headers.add(new HttpField(name, value));
      }
    }
    return new Answer(status, headers, ByteBuffer.wrap(bytes, i, bytes.length - i));
  }

  private static int status(String value, int line) throws MalformedException {
    String code = value.split(" ", 2)[0];
    if (code.matches("[1-5][0-9][0-9]") && Integer.parseInt(code) >= 200) {
      return Integer.parseInt(code);
    }
    throw new MalformedException(
        "line " + line + ": 'Status: " + value + "' is not a status like 301 Moved Permanently");
  }

  /** Answers {@code request} from {@code file}; 500 when the file is malformed. */
  static void serve(Path file, Request request, Response response, Callback callback)
      throws IOException {
    Answer a;
    try {
      a = read(file);
    } catch (MalformedException e) {
      log.error("{}: a malformed .asis file, answered 500: {}", file, e.getMessage());
      Response.writeError(request, response, callback, 500, "malformed .asis file");
      return;
    }
    response.setStatus(a.status());
    response.getHeaders().add(a.headers());
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, a.body().remaining());
    response.write(true, HttpMethod.HEAD.is(request.getMethod()) ? null : a.body(), callback);
  }

  private static int indexOf(byte[] b, byte c, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }
}

package org.silverlining.node.fastcgi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CGI parameters of one request to a PHP app, built from the request alone (pure). A path that
 * names a {@code .php} file under the document root runs it (what follows the file name is {@code
 * PATH_INFO}); any other path runs the front controller (the runner) with the path as {@code
 * PATH_INFO}. {@code SCRIPT_NAME} starts with the location's prefix; {@code REQUEST_URI} is the
 * client's.
 *
 * @param docRoot {@code php_root}, absolute
 * @param frontController the runner, absolute
 * @param prefix the location's path prefix ({@code ""} at the root)
 * @param path the path after the prefix, starting with {@code /}
 * @param query the query string, or null
 */
public record CgiParams(
    Path docRoot,
    Path frontController,
    String method,
    String prefix,
    String path,
    String query,
    List<Map.Entry<String, String>> headers,
    String remoteAddr,
    int remotePort,
    String serverName,
    int serverPort,
    boolean secure) {

  /** The parameters to send. */
  public Map<String, String> toMap() {
    Map<String, String> p = new LinkedHashMap<>();
    String script = null;
    String pathInfo = path;
    int php = path.indexOf(".php");
    if (php >= 0) {
      int end = php + 4;
      if (end == path.length() || path.charAt(end) == '/') {
        Path file = docRoot.resolve(path.substring(1, end)).normalize();
        if (file.startsWith(docRoot) && Files.isRegularFile(file)) {
          script = path.substring(0, end);
          pathInfo = path.substring(end);
          p.put("SCRIPT_FILENAME", file.toString());
        }
      }
    }
    if (script == null) {
      p.put("SCRIPT_FILENAME", frontController.toString());
      script =
          frontController.startsWith(docRoot)
              ? "/" + docRoot.relativize(frontController).toString().replace('\\', '/')
              : "/" + frontController.getFileName();
    }
    p.put("SCRIPT_NAME", prefix + script);
    p.put("PATH_INFO", pathInfo);
    p.put("DOCUMENT_ROOT", docRoot.toString());
    p.put("REQUEST_METHOD", method);
    p.put("QUERY_STRING", query == null ? "" : query);
    p.put("REQUEST_URI", prefix + path + (query == null || query.isEmpty() ? "" : "?" + query));
    p.put("GATEWAY_INTERFACE", "CGI/1.1");
    p.put("SERVER_PROTOCOL", "HTTP/1.1");
    p.put("SERVER_SOFTWARE", "silverlining");
    p.put("SERVER_NAME", serverName);
    p.put("SERVER_PORT", Integer.toString(serverPort));
    p.put("REMOTE_ADDR", remoteAddr);
    p.put("REMOTE_PORT", Integer.toString(remotePort));
    if (secure) {
      p.put("HTTPS", "on");
    }
    for (Map.Entry<String, String> h : headers) {
      String name = h.getKey().toUpperCase(Locale.ROOT).replace('-', '_');
      if (name.equals("CONTENT_TYPE") || name.equals("CONTENT_LENGTH")) {
        p.put(name, h.getValue());
      } else if (!name.equals("PROXY")) { // httpoxy: never an HTTP_PROXY from a client
        p.merge("HTTP_" + name, h.getValue(), (a, b) -> a + ", " + b);
      }
    }
    return p;
  }
}

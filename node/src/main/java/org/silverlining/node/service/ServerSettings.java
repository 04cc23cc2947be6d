package org.silverlining.node.service;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where a shared database server is and who administers it: {@code host}, {@code port}, {@code
 * user} and {@code password} of {@code [service.NAME]} in node.ini.
 */
record ServerSettings(String host, int port, String user, String password) {

  static ServerSettings of(ServiceScope scope, String service, int defaultPort, String defaultUser)
      throws ServiceException {
    String portText = scope.setting("port", Integer.toString(defaultPort)).strip();
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new ServiceException(
          "[service." + service + "] port '" + portText + "' is not a port number (1-65535)");
    }
    return new ServerSettings(
        scope.setting("host", "127.0.0.1").strip(),
        port,
        scope.setting("user", defaultUser).strip(),
        scope.setting("password", ""));
  }

  /** {@code host:port}, for messages. */
  String where() {
    return urlHost() + ":" + port;
  }

  /** The host as it goes in a URL: an IPv6 address in brackets. */
  String urlHost() {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** {@code s} encoded for a URL's user info or query. */
  /** A driver's message without its final full stop, to be continued with "; ...". */
  static String sentence(String message) {
    String m = message == null ? "" : message.strip();
    return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

package org.silverlining.node.service;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where a shared database server is and who administers it: {@code host}, {@code port}, {@code
 * user} and {@code password} of {@code [service.SECTION]} in node.ini; and the messages that name
 * it when it fails.
 */
record ServerSettings(
    String section, String product, String host, int port, String user, String password) {

  /** The settings of {@code [service.SECTION]}; {@code product} names the server in messages. */
  static ServerSettings of(
      ServiceScope scope, String section, String product, int defaultPort, String defaultUser)
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
          "[service." + section + "] port '" + portText + "' is not a port number (1-65535)");
    }
    return new ServerSettings(
        section,
        product,
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

  /** {@code PRODUCT at HOST:PORT: WHAT: REASON}, for a failure on a server that answered. */
  ServiceException failure(String what, Exception e) {
    return failure(what, e, "");
  }

  /** As {@link #failure(String, Exception)}, with {@code hint} after the reason. */
  ServiceException failure(String what, Exception e, String hint) {
    return new ServiceException(
        product + " at " + where() + ": " + what + ": " + e.getMessage() + hint, e);
  }

  /** The server cannot be reached or refuses the admin user: what to start or set. */
  ServiceException unreachable(Exception e) {
    return new ServiceException(
        "cannot reach "
            + product
            + " at "
            + where()
            + (user.isEmpty() ? "" : " as " + user)
            + ": "
            + sentence(e.getMessage())
            + "; start it, or set host/port/user/password under [service."
            + section
            + "] in node.ini",
        e);
  }

  /** A driver's message without its final full stop, to be continued with "; ...". */
  static String sentence(String message) {
    String m = message == null ? "" : message.strip();
    return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
  }

  /** {@code s} encoded for a URL's user info or query. */
  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

package org.silverlining.core;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where an application is reachable: {@code host[:port][/path]}. A host may be a wildcard ({@code
 * *.example.com}) or {@code default}, the node's catch-all. Without a port the location matches
 * whatever port the front listens on.
 *
 * @param port the port, or 0 for any
 * @param path the path prefix, {@code /} or {@code /a/b} without a trailing slash
 */
public record Location(String host, int port, String path) {
  /** The host that stands for "any host not otherwise matched". */
  public static final String DEFAULT_HOST = "default";

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
  private static final Pattern PORT = Pattern.compile("[0-9]+");
  private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@%-]+");

  /**
   * Parses {@code text}; an {@link IllegalArgumentException} says what is wrong and gives an
   * example.
   */
  public static Location parse(String text) {
    String t = text == null ? "" : text.strip();
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      t = t.substring(t.indexOf("://") + 3);
    }
    if (t.isEmpty()) {
      throw invalid(text, "it is empty");
    }
    int slash = t.indexOf('/');
    String hostPort = slash < 0 ? t : t.substring(0, slash);
    String path = slash < 0 ? "/" : t.substring(slash);
    String host = hostPort;
    int port = 0;
    int colon = hostPort.lastIndexOf(':');
    if (colon >= 0) {
      host = hostPort.substring(0, colon);
      String digits = hostPort.substring(colon + 1);
      // Integer.parseInt alone would also take "+80" and non-ASCII digits such as "٨٠".
      if (!PORT.matcher(digits).matches()) {
        throw invalid(text, "the port '" + digits + "' is not a number");
      }
      port = digits.length() > 5 ? 0 : Integer.parseInt(digits);
      if (port < 1 || port > 65535) {
        throw invalid(text, "the port " + digits + " is outside 1-65535");
      }
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    checkHost(text, host);
    return new Location(host, port, normalizePath(text, path));
  }

  private static void checkHost(String text, String host) {
    if (host.isEmpty()) {
      throw invalid(text, "the host is missing");
    }
    String labels = host.startsWith("*.") ? host.substring(2) : host;
    if (labels.isEmpty() || host.length() > 253) {
      throw invalid(text, "'" + host + "' is not a host name");
    }
    for (String label : labels.split("\\.", -1)) {
      if (label.length() > 63 || !LABEL.matcher(label).matches()) {
        throw invalid(text, "'" + host + "' is not a host name (letters, digits, '-' and '.')");
      }
    }
  }

  private static String normalizePath(String text, String path) {
    StringBuilder out = new StringBuilder();
    for (String segment : path.split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      if (segment.equals(".") || segment.equals("..") || !PATH_SEGMENT.matcher(segment).matches()) {
        throw invalid(text, "the path segment '" + segment + "' is not allowed");
      }
      out.append('/').append(segment);
    }
    return out.length() == 0 ? "/" : out.toString();
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException(
        "invalid location '"
            + text
            + "': "
            + why
            + "; a location is host[:port][/path], e.g. www.example.com/blog");
  }

  public boolean isWildcard() {
    return host.startsWith("*.");
  }

  public boolean isDefault() {
    return host.equals(DEFAULT_HOST);
  }

  /** True when {@code requestPath} is this location's path or lies below it. */
  public boolean coversPath(String requestPath) {
    if (path.equals("/")) {
      return true;
    }
    return requestPath.equals(path) || requestPath.startsWith(path + "/");
  }

  /**
   * True when this location's host, or its wildcard pattern, matches {@code requestHost}; like DNS,
   * without regard to case or a trailing dot.
   */
  public boolean coversHost(String requestHost) {
    requestHost = requestHost.toLowerCase(Locale.ROOT);
    if (requestHost.endsWith(".")) {
      requestHost = requestHost.substring(0, requestHost.length() - 1);
    }
    if (isWildcard()) {
      return requestHost.endsWith(host.substring(1)) && requestHost.length() > host.length() - 1;
    }
    return host.equals(requestHost);
  }

  @Override
  public String toString() {
    return host + (port == 0 ? "" : ":" + port) + (path.equals("/") ? "" : path);
  }
}

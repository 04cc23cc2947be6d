package org.silverlining.node.middleware;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code auth-request}: asks a URL about each request (see {@link Subrequest}), like nginx's {@code
 * auth_request}: a 2xx answer lets the request through with the answer's {@code copy} headers
 * added, any other goes back to the client.
 */
final class AuthRequestPack implements Pack {
  static final String NAME = "auth-request";

  private static final PackInfo INFO =
      PackInfo.builtIn(
          NAME,
          "asks a URL about each request with its method and headers: 2xx passes (copying"
              + " chosen headers to the app), any other answer goes to the client",
          new Setting("url", "the http:// or https:// URL asked about each request", false),
          new Setting(
              "copy",
              "headers of a 2xx answer passed on to the app, comma-separated (e.g. X-User,X-Email)",
              false));

  @Override
  public PackInfo info() {
    return INFO;
  }

  @Override
  public Map<String, String> store(Map<String, String> given) {
    String url = PackSettings.required(this, given, "url", "http://127.0.0.1:9000/auth");
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw PackSettings.refused(this, "url", "url is not a URL: " + e.getMessage());
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw PackSettings.refused(
          this, "url", "url is an absolute http:// or https:// URL, not '" + url + "'");
    }
    Map<String, String> stored = new LinkedHashMap<>();
    stored.put("url", uri.toString());
    if (given.containsKey("copy")) {
      stored.put("copy", String.join(",", names(given.get("copy"))));
    }
    return stored;
  }

  private List<String> names(String list) {
    List<String> out = new ArrayList<>();
    for (String n : list.split(",")) {
      if (!n.isBlank()) {
        out.add(PackSettings.headerName(this, "copy", n.strip()));
      }
    }
    return out;
  }

  @Override
  public Middleware build(Map<String, String> stored) {
    URI url = URI.create(stored.get("url"));
    return new Subrequest(
        "auth-request pack", request -> url, names(stored.getOrDefault("copy", "")));
  }
}

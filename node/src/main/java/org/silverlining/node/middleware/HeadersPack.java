package org.silverlining.node.middleware;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code headers}: security headers on every answer of the location — the app's, its static files',
 * and the front's own pages. Each replaces a header of the same name the app sent; {@code
 * header.NAME} with an empty value removes NAME (but for {@code Server} and {@code Date}, which the
 * front always sends). {@code hsts} goes on HTTPS answers only, as browsers ignore it over plain
 * HTTP.
 */
final class HeadersPack implements Pack {
  static final String NAME = "headers";

  private static final PackInfo INFO =
      PackInfo.builtIn(
          NAME,
          "security headers (CSP, HSTS, frame, referrer, permissions, nosniff, any header) on"
              + " every answer, static files included",
          new Setting("csp", "Content-Security-Policy, e.g. default-src 'self'", false),
          new Setting(
              "hsts",
              "Strict-Transport-Security on HTTPS answers, e.g. max-age=31536000; includeSubDomains",
              false),
          new Setting("frame", "X-Frame-Options: DENY or SAMEORIGIN", false),
          new Setting("referrer", "Referrer-Policy, e.g. strict-origin-when-cross-origin", false),
          new Setting("permissions", "Permissions-Policy, e.g. camera=(), geolocation=()", false),
          new Setting("nosniff", "true: X-Content-Type-Options: nosniff", false),
          new Setting(
              "header.", "any header NAME with this value; empty removes the app's", false));

  private static final List<String> FRAME = List.of("DENY", "SAMEORIGIN");
  private static final List<String> REFERRER =
      List.of(
          "no-referrer",
          "no-referrer-when-downgrade",
          "origin",
          "origin-when-cross-origin",
          "same-origin",
          "strict-origin",
          "strict-origin-when-cross-origin",
          "unsafe-url");

  @Override
  public PackInfo info() {
    return INFO;
  }

  @Override
  public Map<String, String> store(Map<String, String> given) {
    if (given.isEmpty()) {
      throw PackSettings.refused(
          this, "csp", "give at least one header, e.g. --set \"csp=default-src 'self'\"");
    }
    Map<String, String> stored = new LinkedHashMap<>();
    given.forEach(
        (key, value) -> {
          String v = PackSettings.headerValue(this, key, value);
          switch (key) {
            case "frame" -> v = PackSettings.oneOf(this, key, v, FRAME);
            case "referrer" -> v = PackSettings.oneOf(this, key, v, REFERRER);
            case "nosniff" -> v = Boolean.toString(PackSettings.flag(this, key, v));
            default -> {
              if (key.startsWith("header.")) {
                PackSettings.headerName(this, key, key.substring("header.".length()));
              } else if (v.isEmpty()) {
                throw PackSettings.refused(this, key, key + " needs a value");
              }
            }
          }
          stored.put(key, v);
        });
    return stored;
  }

  @Override
  public Middleware build(Map<String, String> stored) {
    List<Header> plain = new ArrayList<>();
    List<Header> hsts = new ArrayList<>();
    stored.forEach(
        (key, value) -> {
          Header h =
              switch (key) {
                case "csp" -> new Header("Content-Security-Policy", value);
                case "hsts" -> new Header("Strict-Transport-Security", value);
                case "frame" -> new Header("X-Frame-Options", value);
                case "referrer" -> new Header("Referrer-Policy", value);
                case "permissions" -> new Header("Permissions-Policy", value);
                case "nosniff" ->
                    value.equals("true") ? new Header("X-Content-Type-Options", "nosniff") : null;
                default ->
                    new Header(key.substring("header.".length()), value.isEmpty() ? null : value);
              };
          if (h != null) {
            (key.equals("hsts") ? hsts : plain).add(h);
          }
        });
    List<Header> secure = new ArrayList<>(plain);
    secure.addAll(hsts);
    Decision.Pass overHttp = Decision.Pass.withResponseHeaders(plain);
    Decision.Pass overHttps = Decision.Pass.withResponseHeaders(secure);
    return request -> request.secure() ? overHttps : overHttp;
  }
}

package org.silverlining.node.middleware;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code disable}: the location answers a maintenance page (503, {@code Retry-After}, never cached)
 * to everyone but the networks of {@code allow}, who reach the app as usual — the team checking a
 * release before it opens.
 */
final class DisablePack implements Pack {
  static final String NAME = "disable";

  private static final PackInfo INFO =
      PackInfo.builtIn(
          NAME,
          "a maintenance page (503) for everyone but the networks of allow",
          new Setting("allow", "networks that still reach the app, e.g. 10.0.0.0/8", false),
          new Setting("message", "the page's text (default: down for maintenance)", false));

  private static final String DEFAULT_MESSAGE =
      "This site is down for maintenance. Please come back soon.";

  @Override
  public PackInfo info() {
    return INFO;
  }

  @Override
  public Map<String, String> store(Map<String, String> given) {
    Map<String, String> stored = new LinkedHashMap<>();
    if (given.containsKey("allow")) {
      stored.put("allow", ClientNetworks.parse(this, "allow", given.get("allow")).text());
    }
    if (given.containsKey("message")) {
      String m = given.get("message").strip();
      if (m.isEmpty()) {
        throw PackSettings.refused(this, "message", "message needs some text");
      }
      stored.put("message", m);
    }
    return stored;
  }

  @Override
  public Middleware build(Map<String, String> stored) {
    ClientNetworks team =
        stored.containsKey("allow")
            ? ClientNetworks.parse(this, "allow", stored.get("allow"))
            : null;
    String text =
        stored
            .getOrDefault("message", DEFAULT_MESSAGE)
            .replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;");
    Decision.Answer page =
        new Decision.Answer(
            503,
            List.of(
                new Header("Content-Type", "text/html; charset=utf-8"),
                new Header("Cache-Control", "no-store"),
                new Header("Retry-After", "300")),
            ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Maintenance</title></head>\n"
                    + "<body><h1>Maintenance</h1><p>"
                    + text
                    + "</p></body></html>\n")
                .getBytes(StandardCharsets.UTF_8),
            null);
    return request -> team != null && team.contains(request.clientAddress()) ? Decision.PASS : page;
  }
}

package org.silverlining.node.middleware;

import java.util.Map;

/**
 * {@code allow}: only clients in the networks of {@code from} reach the location; others get 403.
 */
final class AllowPack implements Pack {
  static final String NAME = "allow";

  private static final PackInfo INFO =
      PackInfo.builtIn(
          NAME,
          "only clients from the networks of from (CIDR, comma-separated); others get 403",
          new Setting("from", "the networks let in, e.g. 10.0.0.0/8, 192.0.2.7, ::1", false));

  @Override
  public PackInfo info() {
    return INFO;
  }

  @Override
  public Map<String, String> store(Map<String, String> given) {
    String from = PackSettings.required(this, given, "from", "10.0.0.0/8");
    return Map.of("from", ClientNetworks.parse(this, "from", from).text());
  }

  @Override
  public Middleware build(Map<String, String> stored) {
    ClientNetworks from = ClientNetworks.parse(this, "from", stored.get("from"));
    Decision.Answer forbidden =
        Decision.Answer.text(
            403,
            "Forbidden: this site does not take requests from your address.",
            new Refusal(Refusal.Kind.REFUSED, "allow pack: not in " + from.text(), null));
    return request -> from.contains(request.clientAddress()) ? Decision.PASS : forbidden;
  }
}

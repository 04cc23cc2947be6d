package org.silverlining.node.middleware;

import java.util.List;
import java.util.Map;

/**
 * {@code allow}: only clients in the networks of {@code from} reach the location; others get 403.
 */
final class AllowPack implements Pack {
  static final String NAME = "allow";

  private static final List<Setting> SETTINGS =
      List.of(new Setting("from", "the networks let in, e.g. 10.0.0.0/8, 192.0.2.7, ::1", false));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String version() {
    return "1";
  }

  @Override
  public String description() {
    return "only clients from the networks of from (CIDR, comma-separated); others get 403";
  }

  @Override
  public List<Setting> settings() {
    return SETTINGS;
  }

  @Override
  public Map<String, String> prepare(Map<String, String> given) {
    PackSettings.checkKnown(this, given);
    if (!given.containsKey("from")) {
      throw PackSettings.refused(this, "from", "give from, e.g. --set from=10.0.0.0/8");
    }
    return Map.of("from", ClientNetworks.parse(this, "from", given.get("from")).text());
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

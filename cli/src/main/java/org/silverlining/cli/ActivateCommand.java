package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code silver activate LOCATION INSTANCE|PREV [--with-config]}: serve an instance that is still
 * on disk.
 */
@Command(
    name = "activate",
    description = {
      "Make INSTANCE (or PREV, the one before the live one) live at LOCATION again.",
      "The configuration does not change: the newest revision stays live. --with-config first"
          + " returns the configuration to the revision INSTANCE was deployed with (recorded as a"
          + " new revision, checked like any change)."
    })
final class ActivateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "LOCATION")
  String location;

  @Parameters(index = "1", paramLabel = "INSTANCE|PREV")
  String instance;

  @Option(
      names = "--with-config",
      description = "Also return to the configuration revision INSTANCE was deployed with.")
  boolean withConfig;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("location", location);
    params.put("instance", instance);
    if (withConfig) {
      params.put("with_config", "true");
    }
    for (ApiClient api : node.clients()) {
      JsonNode r = api.post("activate", params);
      String active = r.path("active").asText();
      System.out.println(
          node.prefix(api)
              + (r.path("changed").asBoolean()
                  ? active + " is live at " + r.path("location").asText()
                  : active + " was already live at " + r.path("location").asText()));
      System.out.println(node.prefix(api) + configLine(r, active, location));
    }
    return 0;
  }

  /** Which configuration revision is live now, and how it relates to the instance's own. */
  static String configLine(JsonNode r, String active, String location) {
    int live = r.path("config_revision").asInt();
    JsonNode ownNode = r.path("own_config_revision");
    String liveText = live == 0 ? "no configuration" : "configuration revision " + live;
    if (ownNode.isNull() || ownNode.isMissingNode()) {
      return "It runs with " + liveText + " (the newest).";
    }
    int own = ownNode.asInt();
    String ownText = own == 0 ? "no configuration" : "revision " + own;
    if (r.path("config_recorded").asBoolean()) {
      return "It runs with "
          + liveText
          + ", recorded now with the files of "
          + ownText
          + ", the one it was deployed with.";
    }
    if (own == live) {
      return "It runs with " + liveText + ", the one it was deployed with.";
    }
    if (r.path("config_is_own").asBoolean()) {
      return "It runs with "
          + liveText
          + ", which has the files of "
          + ownText
          + " it was deployed with.";
    }
    return "It runs with "
        + liveText
        + " (the newest), not "
        + ownText
        + " it was deployed with; to return to that: "
        + (r.path("changed").asBoolean()
            ? "silver activate " + location + " " + active + " --with-config"
            : "silver config " + location + (own == 0 ? " --delete" : " --revert " + own));
  }
}

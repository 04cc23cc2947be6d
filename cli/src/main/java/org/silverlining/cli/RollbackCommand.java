package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silver rollback LOCATION [--to INSTANCE] [--restore-data]}. */
@Command(
    name = "rollback",
    description = {
      "Make the previous instance (still on disk) live at LOCATION again, or the one named by --to; the one live now is drained and stopped.",
      "With --restore-data, also put back the app's data as it was before the live instance was deployed (the checkpoint taken then); asks first, --yes for scripts."
    })
final class RollbackCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "LOCATION")
  String location;

  @Option(
      names = "--to",
      paramLabel = "INSTANCE",
      description = "The instance to make live (see silver versions); default: the previous one.")
  String to;

  @Option(
      names = "--restore-data",
      description =
          "Also restore the checkpoint of the data taken when the live instance was deployed: changes made since are lost.")
  boolean restoreData;

  @Option(
      names = "--with-config",
      description =
          "Also return to the configuration revision the instance was deployed with (recorded as a new revision, checked first); without it the newest revision stays.")
  boolean withConfig;

  @Mixin ConfirmOption confirm;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    List<ApiClient> servers = node.clients();
    if (restoreData
        && !confirm.confirmed(
            "Roll back "
                + location
                + " on "
                + (node.isNodeset()
                    ? "the nodeset " + node.nodeset().name()
                    : "node " + servers.get(0).node().name())
                + " and replace the app's data with the checkpoint taken before the live version"
                + " was deployed (changes since are lost)?")) {
      return 1;
    }
    Map<String, String> params = new LinkedHashMap<>();
    params.put("location", location);
    if (to != null) {
      params.put("to", to);
    }
    if (restoreData) {
      params.put("restore_data", "true");
    }
    if (withConfig) {
      params.put("with_config", "true");
    }
    boolean sharedData = node.isNodeset() && node.nodeset().services() != null;
    for (ApiClient api : servers) {
      rollback(api, params);
      if (sharedData) {
        params.remove("restore_data"); // the services node's data: restored once, by the first
      }
    }
    return 0;
  }

  private void rollback(ApiClient api, Map<String, String> params) throws Exception {
    JsonNode r = api.post("rollback", params);
    System.out.printf(
        node.prefix(api) + "%s is live at %s again (%d ms%s); %s is stopped%n",
        r.path("active").asText(),
        r.path("location").asText(),
        r.path("live_ms").asLong(),
        r.path("was_running").asBoolean() ? ", it was still running" : ", started",
        r.path("replaced").asText());
    if (r.path("config_recorded").asBoolean()) {
      System.out.println(
          "Configuration revision " + r.path("config_revision").asText() + " is newest now.");
    }
    if (r.has("restored")) {
      System.out.printf(
          "The data was restored from checkpoint %s (%d ms).%n",
          r.path("restored").asText(), r.path("restore_ms").asLong());
    }
  }
}

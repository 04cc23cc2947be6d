package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
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
      "With --restore-data, also put back the app's data as it was before the live instance was deployed (the checkpoint taken then); asks first, --yes for scripts.",
      "On a nodeset with a services node, --restore-data also puts back the databases kept there as the instance made live again left them (the checkpoint the update that replaced it took)."
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
    String services = node.isNodeset() ? node.nodeset().services() : null;
    ApiClient db = null;
    Map<String, String> shared = null;
    if (services != null && restoreData) {
      db = new ApiClient(NodeRegistry.forUser().resolve(services));
      shared = sharedCheckpoint(db, servers.get(0));
      if (!hasOwnData(servers.get(0))) {
        params.remove("restore_data"); // all the app's data is on the services node
      }
    }
    for (ApiClient api : servers) {
      rollback(api, params);
      params.remove("restore_data"); // what each app server keeps itself: the first one's
    }
    if (shared != null) {
      restoreShared(db, shared);
    }
    return 0;
  }

  /** Whether the app at the location keeps data on {@code api} itself (files, SQLite). */
  private boolean hasOwnData(ApiClient api) throws IOException {
    return api.get("backups", Map.of("location", location)).path("services").size() > 0;
  }

  /**
   * What names, on the services node {@code db}, the checkpoint to put back: the one taken before
   * the instance the rollback makes live on {@code appServer} was replaced, the data as it left it.
   * Refuses, changing nothing, when {@code db} keeps none; null when there is no instance to go
   * back to (the rollback itself refuses then).
   */
  private Map<String, String> sharedCheckpoint(ApiClient db, ApiClient appServer)
      throws IOException {
    String target =
        to == null || to.isBlank() || to.equalsIgnoreCase("prev")
            ? SharedDataCheckpoint.instanceAt(appServer, location, "previous")
            : to;
    if (target == null) {
      return null;
    }
    String app = appServer.get("backups", Map.of("location", location)).path("app").asText();
    Map<String, String> named = Map.of("app", app, "location", location, "replaced", target);
    try {
      db.get("services/checkpoint", named);
    } catch (UserException e) {
      throw new UserException(
          "nothing was changed, the services node "
              + db.node().name()
              + " answered: "
              + e.getMessage()
              + "; roll back without --restore-data");
    }
    return named;
  }

  /** Puts back on the services node {@code db} the checkpoint {@code named}. */
  private void restoreShared(ApiClient db, Map<String, String> named) throws IOException {
    JsonNode r;
    try {
      r = db.post("services/checkpoint/restore", named);
    } catch (UserException e) {
      throw new UserException(
          "the app servers are rolled back, but the data the services node "
              + db.node().name()
              + " keeps for "
              + named.get("app")
              + " is not restored: "
              + e.getMessage());
    }
    System.out.printf(
        "%s: the data of %s was restored from checkpoint %s (%d ms).%n",
        db.node().name(),
        named.get("app"),
        r.path("restored").asText(),
        r.path("restore_ms").asLong());
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

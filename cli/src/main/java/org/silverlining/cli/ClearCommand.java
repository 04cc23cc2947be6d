package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code silver clear LOCATION}: empty the services of the app at a location. */
@Command(
    name = "clear",
    description = {
      "Empty the services (databases, files...) of the app at LOCATION.",
      "Asks first; --yes for scripts. The app keeps running with empty data."
    })
final class ClearCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "LOCATION")
  String location;

  @Mixin ConfirmOption confirm;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    ApiClient api = node.client();
    if (!confirm.confirmed(
        "Delete all data of the app at " + location + " on node " + api.node().name() + "?")) {
      return 1;
    }
    JsonNode r = api.post("clear", Map.of("location", location));
    System.out.println("Cleared " + r.path("cleared").toString() + " of " + r.path("app").asText());
    return 0;
  }
}

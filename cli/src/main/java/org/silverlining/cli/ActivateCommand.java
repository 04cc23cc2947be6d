package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code silver activate LOCATION INSTANCE|PREV}: serve an instance that is still on disk. */
@Command(
    name = "activate",
    description = "Make INSTANCE (or PREV, the one before the live one) live at LOCATION again.")
final class ActivateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "LOCATION")
  String location;

  @Parameters(index = "1", paramLabel = "INSTANCE|PREV")
  String instance;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    JsonNode r = node.client().post("activate", Map.of("location", location, "instance", instance));
    System.out.println(
        r.path("changed").asBoolean()
            ? r.path("active").asText() + " is live at " + r.path("location").asText()
            : r.path("active").asText() + " was already live at " + r.path("location").asText());
    return 0;
  }
}

package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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

  @Option(
      names = {"-y", "--yes"},
      description = "Do not ask for confirmation.")
  boolean yes;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    ApiClient api = node.client();
    if (!yes
        && !confirm(
            "Delete all data of the app at " + location + " on node " + api.node().name() + "?")) {
      System.out.println("Nothing was changed.");
      return 1;
    }
    JsonNode r = api.post("clear", Map.of("location", location));
    System.out.println("Cleared " + r.path("cleared").toString() + " of " + r.path("app").asText());
    return 0;
  }

  static boolean confirm(String question) throws java.io.IOException {
    System.out.print(question + " (y)es/(n)o: ");
    System.out.flush();
    String answer =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    return answer != null
        && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
  }
}

package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code silver remove-middleware PACK LOCATION}. */
@Command(
    name = "remove-middleware",
    description = {
      "Remove the middleware pack PACK from LOCATION. The change is recorded as a revision"
          + " (apply-middleware --revert brings it back) and takes effect at once."
    })
final class RemoveMiddlewareCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PACK", description = "The pack's name.")
  String pack;

  @Parameters(index = "1", paramLabel = "LOCATION")
  String location;

  @Mixin JsonOption output;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    JsonNode r =
        node.client().post("middleware/remove", Map.of("location", location, "pack", pack));
    if (!output.printed(r)) {
      System.out.println(ShowMiddlewareCommand.summary(r));
    }
    return 0;
  }
}

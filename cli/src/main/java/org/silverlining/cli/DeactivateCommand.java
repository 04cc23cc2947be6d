package org.silverlining.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code silver deactivate LOCATION}: stop serving a location; its instances stay on disk. */
@Command(
    name = "deactivate",
    description = "Stop serving LOCATION (its app's instances stay on disk and can be activated).")
final class DeactivateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "LOCATION")
  String location;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    node.client().post("deactivate", Map.of("location", location));
    System.out.println(location + " is no longer served");
    return 0;
  }
}

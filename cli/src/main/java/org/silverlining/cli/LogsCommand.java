package org.silverlining.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silver logs LOCATION}: the output of the app serving a location. */
@Command(
    name = "logs",
    description =
        "Show what the app at LOCATION printed (logs/apps/APP/app.log, and app.log.1 when it"
            + " holds fewer lines).")
final class LogsCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "LOCATION")
  String location;

  @Option(
      names = {"-n", "--lines"},
      defaultValue = "50",
      description = "Lines to show (default: ${DEFAULT-VALUE}).")
  int lines;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new lines until Ctrl-C, through a rotation of the file.")
  boolean follow;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("location", location);
    p.put("n", Integer.toString(lines));
    if (follow) {
      p.put("follow", "true");
    }
    node.client().getText("logs", p, System.out);
    return 0;
  }
}

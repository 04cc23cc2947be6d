package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code silver backups LOCATION}: the node's checkpoints and scheduled backups of an app. */
@Command(
    name = "backups",
    description = {
      "List the checkpoints and scheduled backups of the app at LOCATION, newest first.",
      "Checkpoints are taken before each restore; scheduled backups by backup.schedule"
          + " in app.ini (or [backup] schedule in node.ini).",
      "Put one back with: silver restore --checkpoint ID LOCATION"
    })
final class BackupsCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "LOCATION", description = "Where the app is live.")
  String location;

  @Mixin JsonOption output;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    ApiClient api = node.client();
    JsonNode r = api.get("backups", Map.of("location", location));
    if (output.printed(r)) {
      return 0;
    }
    System.out.println(
        r.path("app").asText()
            + " at "
            + r.path("location").asText()
            + " on node "
            + api.node().name());
    if (r.path("schedule").isNull() || r.path("schedule").isMissingNode()) {
      System.out.println("Scheduled backups: none (set backup.schedule in app.ini)");
    } else {
      System.out.println(
          "Scheduled backups: "
              + r.path("schedule").asText()
              + " (UTC), keep "
              + r.path("keep").asInt()
              + ", next "
              + r.path("next").asText());
    }
    if (r.path("backups").isEmpty()) {
      System.out.println("No checkpoints or scheduled backups yet.");
      return 0;
    }
    System.out.println();
    Table table = new Table("ID", "KIND", "CREATED", ">SIZE", "REASON");
    for (JsonNode b : r.path("backups")) {
      String reason = b.path("reason").asText();
      table.row(
          b.path("id").asText(),
          b.path("kind").asText(),
          b.path("created").asText(),
          size(b.path("bytes").asLong()),
          reason.length() > 40 ? reason.substring(0, 39) + "…" : reason);
    }
    table.print(System.out);
    return 0;
  }

  /** A size for people: bytes, KiB, MiB or GiB. */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double v = bytes;
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return oneDecimal(v) + " " + units[u];
  }

  /**
   * {@code v} rounded to one decimal, as {@code %.1f} writes it for the values a size or a duration
   * takes, without the formatter, whose first use costs a command ~25 ms of start-up.
   */
  static String oneDecimal(double v) {
    if (v < 0) {
      return "-" + oneDecimal(-v);
    }
    long tenths = Math.round(v * 10);
    return (tenths / 10) + "." + (tenths % 10);
  }
}

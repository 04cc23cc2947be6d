package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silver restore BACKUP LOCATION}: replace the app's data with a backup's. */
@Command(
    name = "restore",
    description = {
      "Replace the data of the app at LOCATION with a backup, or a checkpoint.",
      "BACKUP is a folder, .tar.gz or .tar.zst made by silver backup; a checkpoint",
      "or scheduled backup kept by the node is restored with",
      "  silver restore --checkpoint ID LOCATION        (IDs: silver backups LOCATION)",
      "The node checks every checksum, and that the backup has exactly the app's",
      "services, before it touches anything. It loads a PostgreSQL database beside",
      "the app's while the backup arrives, takes a checkpoint of the current data,",
      "then switches (stages: receive, verify, load, checkpoint, switch) and prints",
      "how to return to the checkpoint; a switch that fails puts it back at once.",
      "The database the switch replaced is kept until the node has written it into",
      "the checkpoint, right after the restore (silver backups waits for that).",
      "silver restore BACKUP --devel APP_DIR loads it into the development services.",
      "Asks first; --yes for scripts."
    })
final class RestoreCommand implements Callable<Integer> {
  @Parameters(
      arity = "1..2",
      paramLabel = "BACKUP LOCATION",
      description = "BACKUP LOCATION, or LOCATION alone with --checkpoint.")
  List<String> args;

  @Option(
      names = "--checkpoint",
      paramLabel = "ID",
      description = "Restore this checkpoint or scheduled backup of the node instead of a file.")
  String checkpoint;

  @Option(
      names = "--devel",
      paramLabel = "APP_DIR",
      description =
          "Load BACKUP into the development services of the app in APP_DIR (those of silver"
              + " serve) instead of an app on a node.")
  Path develDir;

  @Mixin ConfirmOption confirm;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    if (develDir != null) {
      return develRestore();
    }
    if (checkpoint == null && args.size() != 2) {
      throw new UserException(
          "give the backup and the location: silver restore BACKUP LOCATION"
              + " (or silver restore --checkpoint ID LOCATION)");
    }
    if (checkpoint != null && args.size() != 1) {
      throw new UserException(
          "with --checkpoint, give only the location: silver restore --checkpoint ID LOCATION");
    }
    String location = args.get(args.size() - 1);
    Path backup = checkpoint == null ? Path.of(args.get(0)) : null;
    if (backup != null) {
      BackupTransfer.checkSource(backup);
    }
    ApiClient api = node.client();
    JsonNode target = api.get("backups", Map.of("location", location));
    String app = target.path("app").asText();
    if (backup != null) {
      BackupTransfer.servicesOf(backup).ifPresent(s -> BackupTransfer.checkServices(s, target));
    }
    if (!confirm.confirmed(
        "Replace the data of "
            + app
            + " at "
            + location
            + (api.node().name() == null ? "" : " on node " + api.node().name())
            + "?")) {
      return 1;
    }
    long t0 = System.nanoTime();
    System.out.println(
        "Restoring "
            + (backup != null ? backup : "checkpoint " + checkpoint)
            + " into "
            + app
            + " at "
            + location);
    JsonNode r;
    if (backup != null) {
      r = BackupTransfer.restore(api, backup, location, System.out);
    } else {
      Map<String, String> params = new LinkedHashMap<>();
      params.put("location", location);
      params.put("checkpoint", checkpoint);
      JsonNode[] last = new JsonNode[1];
      try (AppUploader.StageLines lines = AppUploader.progress(System.out, last)) {
        api.postStreaming("restore", params, lines);
      }
      r = last[0];
    }
    return report(r, location, api.node().name(), t0);
  }

  private int develRestore() throws IOException {
    if (args.size() != 1 || checkpoint != null) {
      throw new UserException(
          "with --devel, give only the backup: silver restore BACKUP --devel APP_DIR");
    }
    Path backup = Path.of(args.get(0));
    BackupTransfer.checkSource(backup);
    String app = DevelRestore.appName(develDir);
    if (!confirm.confirmed("Replace the development data of " + app + " (" + develDir + ")?")) {
      return 1;
    }
    DevelRestore.run(backup, develDir, System.out);
    return 0;
  }

  /** Prints a restore's result line: how to return to the data before, or what failed. */
  static int report(JsonNode r, String location, String nodeName, long t0) {
    if (r == null) {
      throw new UserException(
          "the node closed the connection before the restore ended; see silver backups "
              + location
              + " --node "
              + nodeName);
    }
    if (!"ok".equals(r.path("result").asText())) {
      throw new UserException(
          "restore failed at " + r.path("stage").asText() + ": " + r.path("error").asText());
    }
    String id = r.path("checkpoint").asText();
    JsonNode from = r.path("from");
    System.out.printf(
        "Restored %s at %s from a backup of %s taken %s (%.1f s)%n",
        r.path("app").asText(),
        location,
        from.path("app").asText("?"),
        from.path("created").asText("?"),
        (System.nanoTime() - t0) / 1e9);
    System.out.println("The data before the restore is checkpoint " + id + "; to return to it:");
    System.out.println(
        "  silver restore --checkpoint " + id + " " + location + " --node " + nodeName);
    return 0;
  }
}

package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.silverlining.node.backup.BackupArchive;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silver backup LOCATION [DEST]}: save the app's data, or clone it to another node. */
@Command(
    name = "backup",
    description = {
      "Back up the data of the app at LOCATION (every service: databases, files, ...).",
      "DEST is one of:",
      "  a new folder, or a file ending in .tar.gz or .tar.zst;",
      "  nothing: APP-YYYYMMDD-HHMMSS.silverbackup.tar.gz here (time in UTC);",
      "  NODE:LOCATION: clone the data into the app at LOCATION on another registered",
      "    node, streamed through this machine without a file (asks first; --yes).",
      "Two backups of the same data have identical data files (docs/backup-format.md).",
      "With --node SITE.nodeset, the data comes from the nodeset's first app server that is up;",
      "  when the nodeset has a services node, from the databases it keeps for the app."
    })
final class BackupCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "LOCATION", description = "Where the app is live.")
  String location;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "DEST",
      description = "A new folder, a .tar.gz/.tar.zst file, or NODE:LOCATION.")
  String dest;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "tar.gz (default) or tar.zst, for the default file name.")
  String format;

  @Option(
      names = {"-y", "--yes"},
      description = "With NODE:LOCATION: do not ask before replacing the data there.")
  boolean yes;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    BackupArchive.Compression compression =
        format == null ? BackupArchive.Compression.GZIP : BackupArchive.Compression.named(format);
    long t0 = System.nanoTime();
    String[] remote = remoteOf(dest);
    if (remote == null && dest != null) {
      BackupTransfer.refuseExisting(Path.of(dest));
    }
    ApiClient api = node.client();
    String services = node.isNodeset() ? node.nodeset().services() : null;
    if (remote != null) {
      if (services != null) {
        throw new UserException(
            "the app's databases are on the services node "
                + services
                + ": back them up to a file (silver backup "
                + location
                + " FILE --node "
                + node.name
                + ") and restore that on "
                + remote[0]);
      }
      return cloneTo(api, remote[0], remote[1], t0);
    }
    Path to = dest == null ? null : Path.of(dest);
    BackupTransfer.Saved s;
    if (services != null) {
      s = saveShared(api, services, to, compression);
    } else {
      System.out.println(
          "Backing up the app at " + location + " on node " + api.node().name() + " ...");
      s = BackupTransfer.save(api, location, to, compression);
    }
    System.out.println(
        "Saved the data of "
            + s.app()
            + " to "
            + s.path()
            + " ("
            + s.files()
            + " file"
            + (s.files() == 1 ? "" : "s")
            + ", "
            + BackupsCommand.size(s.bytes())
            + ", "
            + BackupsCommand.oneDecimal((System.nanoTime() - t0) / 1e9)
            + " s)");
    return 0;
  }

  /**
   * Saves the data the nodeset's services node {@code services} keeps for the app that {@code
   * appServer} runs at the location. What the app servers keep each for itself (files) is not in
   * it: the warning says how to back that up.
   */
  private BackupTransfer.Saved saveShared(
      ApiClient appServer, String services, Path to, BackupArchive.Compression compression)
      throws IOException {
    JsonNode here = appServer.get("backups", Map.of("location", location));
    String app = here.path("app").asText();
    ApiClient db = new ApiClient(NodeRegistry.forUser().resolve(services));
    System.out.println(
        "Backing up the app at "
            + location
            + ": the data the services node "
            + services
            + " keeps for "
            + app
            + " ...");
    BackupTransfer.Saved s = BackupTransfer.saveProvided(db, app, to, compression);
    List<String> own = new ArrayList<>();
    here.path("services").forEach(n -> own.add(n.asText()));
    if (!own.isEmpty()) {
      System.out.println(
          "Warning: "
              + String.join(", ", own)
              + " of "
              + app
              + " are kept by each app server for itself and are not in this backup; back them"
              + " up with silver backup "
              + location
              + " --node "
              + appServer.node().name());
    }
    return s;
  }

  /** {@code NODE:LOCATION} when DEST names a registered node and no local path; else null. */
  private static String[] remoteOf(String dest) throws IOException {
    if (dest == null || Files.exists(Path.of(dest))) {
      return null;
    }
    int colon = dest.indexOf(':');
    if (colon <= 0) {
      return null;
    }
    String name = dest.substring(0, colon);
    if (!NodeRegistry.forUser().names().contains(name)) {
      return null;
    }
    return new String[] {name, dest.substring(colon + 1)};
  }

  private int cloneTo(ApiClient from, String toNode, String toLocation, long t0)
      throws IOException {
    if (toLocation.isBlank()) {
      throw new UserException(
          "say where on node " + toNode + ": silver backup LOCATION NODE:LOCATION");
    }
    ApiClient to = new ApiClient(NodeRegistry.forUser().resolve(toNode));
    JsonNode source = from.get("backups", Map.of("location", location));
    JsonNode target = to.get("backups", Map.of("location", toLocation));
    String fromApp = source.path("app").asText();
    String toApp = target.path("app").asText();
    List<String> services = new ArrayList<>();
    source.path("services").forEach(n -> services.add(n.asText()));
    if (!source.path("services").isMissingNode()) {
      BackupTransfer.checkServices(services, target);
    }
    if (!yes
        && !ConfirmOption.ask(
            "Replace the data of "
                + toApp
                + " at "
                + toLocation
                + " on node "
                + toNode
                + " with the data of "
                + fromApp
                + " at "
                + location
                + " on node "
                + from.node().name()
                + "?")) {
      System.out.println("Nothing was changed.");
      return 1;
    }
    System.out.println(
        "Cloning "
            + fromApp
            + " at "
            + location
            + " (node "
            + from.node().name()
            + ") into "
            + toApp
            + " at "
            + toLocation
            + " (node "
            + toNode
            + ")");
    JsonNode r = BackupTransfer.clone(from, location, to, toLocation, System.out);
    return RestoreCommand.report(r, toLocation, toNode, t0);
  }
}

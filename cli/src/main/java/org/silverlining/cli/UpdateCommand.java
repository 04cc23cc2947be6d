package org.silverlining.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.silverlining.core.InvalidConfigException;
import org.silverlining.core.Nodeset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silver update APP_DIR [LOCATION]}: deploy an app, with zero failed requests. */
@Command(
    name = "update",
    description = {
      "Deploy the app in APP_DIR to LOCATION (host[:port][/path]; default: its default_location).",
      "The new instance is started beside the live one, checked, and switched in; on any failure the live one stays live and the command exits non-zero.",
      "Stages: upload, unpack, config, provision, checkpoint (a backup of the app's data), start, update_fetch, migrate_fetch, test_fetch, test_command, switch, drain, prune. A failure after the checkpoint restores the data too.",
      "Asks first when the node runs another build of silver than this command (--yes: go on).",
      "With a nodeset file (NAME.nodeset) instead of a location, the app goes to every app server of the nodeset: each one starts and checks the new instance, the first runs update_fetch and migrate_fetch, and only when all are ready does the first switch, then the others; a server that fails fails the whole update before any switch. Then the nodeset's balancer routes the location to them. With a services node, a checkpoint of the databases it keeps for the app is taken there first and restored when the update fails before every server switched (the servers already switched are rolled back first)."
    })
final class UpdateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "APP_DIR", description = "The app's folder (with app.ini).")
  Path appDir;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "LOCATION|NODESET",
      description = "Where to deploy it; or a nodeset file (NAME.nodeset) to deploy to.")
  String location;

  @Parameters(
      index = "2",
      arity = "0..1",
      paramLabel = "LOCATION",
      description = "After a nodeset file: where to deploy it.")
  String nodesetLocation;

  @Option(
      names = "--skip-down",
      description =
          "With a nodeset: update the app servers that are up when some are down (without it, a"
              + " server down refuses the update).")
  boolean skipDown;

  @Option(
      names = "--name",
      description = "Deploy under this app name instead of app.ini's app_name.")
  String name;

  @Option(names = "--replace", description = "Take the location over from another app.")
  boolean replace;

  @Option(
      names = "--config",
      paramLabel = "DIR",
      description =
          "Upload DIR as a new configuration revision with the code (the app sees it at SILVER_APP_CONFIG).")
  Path config;

  @Option(
      names = {"-y", "--yes"},
      description =
          "Do not ask: go on when the node runs another build of silver than this command.")
  boolean yes;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    if (node.isNodeset()) {
      throw new UserException(
          "to update a nodeset, name its file after the app: silver update "
              + appDir
              + " "
              + node.name
              + " [LOCATION]");
    }
    if (Nodeset.isNodesetFile(location)) {
      return updateNodeset(Path.of(location));
    }
    if (nodesetLocation != null) {
      throw new UserException(
          "unexpected argument '"
              + nodesetLocation
              + "': a second place follows only a nodeset file (NAME.nodeset)");
    }
    ApiClient api = node.client();
    if (!SoftwareCheck.proceed(api, yes, System.in, System.out)) {
      System.out.println("Nothing was changed.");
      return 1;
    }
    AppUploader.update(api, appDir, location, name, replace, config, System.out);
    return 0;
  }

  private int updateNodeset(Path file) throws Exception {
    if (node.name != null) {
      throw new UserException("--node and a nodeset file do not go together: the file names them");
    }
    Nodeset set;
    try {
      set = Nodeset.load(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new UserException("no nodeset file " + file);
    } catch (InvalidConfigException e) {
      throw new UserException(e.getMessage());
    }
    NodesetUpdate update = new NodesetUpdate(set, NodeRegistry.forUser(), System.out);
    List<ApiClient> servers = update.appServers(skipDown);
    ApiClient balancer = update.balancer();
    for (ApiClient api : servers) {
      if (!SoftwareCheck.proceed(api, yes, System.in, System.out)) {
        System.out.println("Nothing was changed.");
        return 1;
      }
    }
    String on =
        "on the nodeset "
            + set.name()
            + " ("
            + String.join(", ", servers.stream().map(a -> a.node().name()).toList())
            + ")";
    NodesetConfig.sync(servers.get(0), servers.subList(1, servers.size()), System.out);
    try (AppUploader.Packed packed =
        AppUploader.pack(appDir, nodesetLocation, name, replace, on, System.out)) {
      SharedServicesStep.share(
          set, update, NodeRegistry.forUser(), servers, appDir, packed.app(), System.out);
      SharedDataCheckpoint data =
          SharedDataCheckpoint.take(
              set, update, servers.get(0), packed.app(), packed.where(), System.out);
      List<String> live = update.update(servers, packed, config, data);
      update.leadCron(
          servers.stream().filter(a -> live.contains(a.node().name())).toList(), packed.where());
      if (balancer != null) {
        update.balance(
            balancer,
            servers.stream().filter(a -> live.contains(a.node().name())).toList(),
            packed.where());
      }
    }
    return 0;
  }
}

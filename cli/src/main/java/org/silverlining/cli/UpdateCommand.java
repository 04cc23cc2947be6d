package org.silverlining.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
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
      "Asks first when the node runs another build of silver than this command (--yes: go on)."
    })
final class UpdateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "APP_DIR", description = "The app's folder (with app.ini).")
  Path appDir;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "LOCATION",
      description = "Where to deploy it.")
  String location;

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
    ApiClient api = node.client();
    if (!SoftwareCheck.proceed(api, yes, System.in, System.out)) {
      System.out.println("Nothing was changed.");
      return 1;
    }
    AppUploader.update(api, appDir, location, name, replace, config, System.out);
    return 0;
  }
}

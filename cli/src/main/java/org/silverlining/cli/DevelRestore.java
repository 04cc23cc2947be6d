package org.silverlining.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.silverlining.core.AppConfig;
import org.silverlining.core.InvalidConfigException;
import org.silverlining.node.backup.BackupService;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.service.ServiceException;
import org.silverlining.node.service.ServiceMode;
import org.silverlining.node.service.ServiceSecrets;
import org.silverlining.node.service.Services;
import org.silverlining.node.steps.Progress;

/**
 * {@code silver restore BACKUP --devel APP_DIR}: loads a backup into the development services that
 * {@code silver serve APP_DIR} uses (the same folders under {@code APP_DIR/.silver/serve} and the
 * same servers), with the checks and the checkpoint of a restore on a node.
 */
final class DevelRestore {
  private DevelRestore() {}

  /** The app's name in {@code appDir}'s app.ini. */
  static String appName(Path appDir) throws IOException {
    try {
      return AppConfig.load(appDir, true).appName();
    } catch (InvalidConfigException e) {
      throw new UserException(e.getMessage());
    }
  }

  static void run(Path backup, Path appDir, PrintStream out) throws IOException {
    AppConfig config;
    try {
      config = AppConfig.load(appDir, true);
    } catch (InvalidConfigException e) {
      throw new UserException(e.getMessage());
    }
    String app = config.appName();
    NodeLayout layout = new NodeLayout(appDir.resolve(".silver").resolve("serve"));
    layout.create();
    List<Services.Bound> bound;
    try {
      bound =
          Services.standard()
              .bind(
                  config,
                  ServiceMode.DEVEL,
                  layout.appDir(app),
                  DevelSettings.forApp(NodeRegistry.home(), app),
                  new ServiceSecrets(layout.appSecrets(app)));
      for (Services.Bound b : bound) {
        b.service().provision(b.scope());
      }
    } catch (ServiceException e) {
      throw new UserException(e.getMessage());
    }
    BackupService.Restored r;
    try {
      r = new BackupService(layout, "devel").restoreFrom(app, bound, backup, printer(out));
    } catch (BackupException e) {
      throw new UserException(e.getMessage());
    }
    Path kept = layout.appCheckpoints(app).resolve(r.checkpoint());
    out.println(
        "Restored the development data of "
            + app
            + " from a backup of "
            + r.backupFacts().getOrDefault("app", "?")
            + " taken "
            + r.backupFacts().getOrDefault("created", "?"));
    out.println("The data before is kept in " + kept + "; to return to it:");
    out.println("  silver restore " + kept + " --devel " + appDir);
  }

  private static Progress printer(PrintStream out) {
    return new Progress() {
      @Override
      public void started(String stage) {}

      @Override
      public void finished(String stage, long millis, String detail) {
        out.printf("  %-13s %-50s %6d ms%n", stage, detail, millis);
      }

      @Override
      public void note(String text) {
        out.println("Warning: " + text);
      }
    };
  }
}

package org.silverlining.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.silverlining.core.AppConfig;
import org.silverlining.core.CommandLine;
import org.silverlining.core.InvalidConfigException;
import org.silverlining.node.Node;
import org.silverlining.node.backup.Backup;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.layout.Trees;
import org.silverlining.node.service.ServiceException;
import org.silverlining.node.service.ServiceMode;
import org.silverlining.node.service.ServiceSecrets;
import org.silverlining.node.service.Services;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code silver test APP_DIR}: runs the app's {@code test_command} against throw-away services —
 * databases named {@code test_APP}, created empty for the run and dropped after, and a temporary
 * folder for files — and exits with the tests' exit code.
 */
@Command(
    name = "test",
    description = {
      "Run the app's test_command with testing services: databases test_APP created empty for the run and dropped after, a temporary files folder.",
      "Exits with the tests' exit code. Service servers are those of ~/.silverlining.conf [devel] (default: local ones).",
      "--fixture BACKUP starts the testing services with a backup's data (silver backup)."
    })
final class TestCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "APP_DIR")
  Path appDir;

  @Option(
      names = "--fixture",
      paramLabel = "BACKUP",
      description =
          "Load this backup (folder or archive made by silver backup) into the testing services"
              + " before the tests run.")
  Path fixture;

  @Override
  public Integer call() throws Exception {
    AppConfig config;
    try {
      config = AppConfig.load(appDir, true);
    } catch (InvalidConfigException e) {
      throw new UserException(e.getMessage());
    }
    String command = config.settings().getOrDefault("test_command", "");
    if (command.isBlank()) {
      throw new UserException(
          appDir.resolve("app.ini")
              + " has no test_command; add one, e.g. test_command = mvn -q test");
    }
    Path data = Files.createTempDirectory("silver-test-" + config.appName());
    List<Services.Bound> bound;
    try {
      bound =
          Services.standard()
              .bind(
                  config,
                  ServiceMode.TEST,
                  data,
                  DevelSettings.forApp(NodeRegistry.home(), config.appName()),
                  new ServiceSecrets(data.resolve("secrets")));
    } catch (ServiceException e) {
      throw new UserException(e.getMessage());
    }
    List<Services.Bound> provisioned = new ArrayList<>();
    try {
      for (Services.Bound b : bound) {
        b.service().drop(b.scope()); // left over from an interrupted run
        b.service().provision(b.scope());
        provisioned.add(b);
      }
      if (fixture != null) {
        loadFixture(bound);
      }
      Map<String, String> env = new HashMap<>(System.getenv());
      env.putAll(config.env());
      env.putAll(Services.environment(bound));
      env.put("SILVER_VERSION", "devel/" + Node.VERSION);
      env.put("SILVER_APP_NAME", config.appName());
      env.put("TEMP", data.toString());
      ProcessBuilder pb =
          new ProcessBuilder(CommandLine.split(command, env))
              .directory(appDir.toFile())
              .inheritIO();
      pb.environment().putAll(env);
      System.out.println(
          "Testing " + config.appName() + " with " + bound.size() + " test service(s): " + command);
      return pb.start().waitFor();
    } catch (ServiceException e) {
      throw new UserException(e.getMessage());
    } finally {
      for (Services.Bound b : provisioned) {
        try {
          b.service().drop(b.scope());
        } catch (ServiceException e) {
          System.err.println(
              "Warning: could not drop the test " + b.scope().alias() + ": " + e.getMessage());
        }
      }
      Trees.delete(data);
    }
  }

  /** Replaces the empty testing services' data with the fixture's, after checking it. */
  private void loadFixture(List<Services.Bound> bound) throws IOException {
    BackupTransfer.checkSource(fixture);
    try {
      Backup.restore(fixture, bound);
    } catch (BackupException e) {
      throw new UserException("the fixture " + fixture + " cannot be loaded: " + e.getMessage());
    }
    System.out.println("Loaded the fixture " + fixture + " into the testing services");
  }
}

package org.silverlining.node.middleware;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.silverlining.core.AppConfig;
import org.silverlining.core.IniFile;
import org.silverlining.node.errors.InvalidRequestException;
import org.silverlining.node.process.AppEnvironment;
import org.silverlining.node.process.InstanceProcesses;
import org.silverlining.node.process.StartFailedException;
import org.silverlining.node.process.Supervisor;

/**
 * Runs third-party packs under the node's supervisor, as one process of a command app named {@code
 * middleware-NAME} (its output in that app's log): restarted when it exits, stopped with the node,
 * and a leftover of a killed node stopped at the next start.
 */
public final class SupervisedPacks implements ThirdPartyPack.Runner {
  private final Supervisor supervisor;
  private final String version;
  private final Path logsDir;
  private final AtomicLong started = new AtomicLong();

  public SupervisedPacks(Supervisor supervisor, String version, Path logsDir) {
    this.supervisor = supervisor;
    this.version = version;
    this.logsDir = logsDir;
  }

  @Override
  public ThirdPartyPack.Running start(String name, Path dir, String command) {
    String app = "middleware-" + name;
    AppConfig config =
        AppConfig.parse(
            IniFile.parse(
                dir.resolve(PackManifest.FILE).toString(),
                "[production]\napp_name = "
                    + app
                    + "\nruntime = command\nrunner = "
                    + command
                    + "\n"),
            false);
    String instance = app + "." + started.incrementAndGet();
    InstanceProcesses group;
    try {
      group =
          supervisor.start(
              instance,
              dir,
              config,
              new AppEnvironment.Facts(
                  version,
                  false,
                  instance,
                  config,
                  "",
                  "",
                  "",
                  logsDir.toString(),
                  System.getProperty("java.io.tmpdir")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      supervisor.awaitReady(group, Supervisor.READY_TIMEOUT);
    } catch (StartFailedException e) {
      supervisor.stop(group);
      throw new InvalidRequestException(
          "the pack " + name + " did not start: " + e.getMessage() + "; its log: " + app);
    }
    int port = group.processes().get(0).port();
    return new ThirdPartyPack.Running() {
      @Override
      public int port() {
        return port;
      }

      @Override
      public void close() {
        supervisor.stop(group);
      }
    };
  }
}

package org.silverlining.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdsTrainingTest {
  @TempDir Path tmp;

  @Test
  void theClientsClassesAreTheCommandsTheAppModelAndTheBackupFormat() throws Exception {
    Path jar = tmp.resolve("silver.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (String name :
          new String[] {
            "org/silverlining/cli/BackupCommand.class",
            "org/silverlining/cli/BackupTransfer$Saved.class",
            "org/silverlining/core/AppConfig.class",
            "org/silverlining/node/backup/Manifest.class",
            "org/silverlining/node/front/FrontServer.class",
            "org/eclipse/jetty/server/Server.class",
            "org/silverlining/cli/scaffold/app.ini"
          }) {
        out.putNextEntry(new JarEntry(name));
        out.closeEntry();
      }
    }

    assertThat(CdsTraining.clientClasses(jar))
        .containsExactly(
            "org.silverlining.cli.BackupCommand",
            "org.silverlining.cli.BackupTransfer$Saved",
            "org.silverlining.core.AppConfig",
            "org.silverlining.node.backup.Manifest");
  }
}

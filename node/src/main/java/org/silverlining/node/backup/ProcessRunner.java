package org.silverlining.node.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs a command built elsewhere: standard output to a file, standard error kept for the message.
 */
final class ProcessRunner {
  private ProcessRunner() {}

  static void run(List<String> command, Map<String, String> env, Path stdout, Path workDir)
      throws IOException, BackupException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
    pb.environment().putAll(env);
    pb.redirectOutput(stdout.toFile());
    Path err = Files.createTempFile("silver-backup-", ".err");
    pb.redirectError(err.toFile());
    try {
      Process p = pb.start();
      int rc = p.waitFor();
      if (rc != 0) {
        String message = Files.readString(err, StandardCharsets.UTF_8).strip();
        throw new BackupException(command.get(0) + " failed (exit " + rc + "): " + message);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackupException(command.get(0) + " was interrupted", e);
    } finally {
      Files.deleteIfExists(err);
    }
  }
}

package org.silverlining.node.backupformat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs a command built elsewhere: standard output to a file, standard error kept for the message.
 */
final class ProcessRunner {
  /** How much of standard error a message keeps; the rest is read and dropped. */
  static final int MESSAGE_BYTES = 64 * 1024;

  private ProcessRunner() {}

  static void run(List<String> command, Map<String, String> env, Path stdout, Path workDir)
      throws IOException, BackupException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
    pb.environment().putAll(env);
    pb.redirectOutput(stdout.toFile());
    // Standard error comes through a pipe, read to its end before the wait: no file to leave
    // behind if the node stops meanwhile, and a chatty command never blocks on a full pipe.
    Process p = pb.start();
    try {
      String message;
      try (InputStream err = p.getErrorStream()) {
        message = new String(err.readNBytes(MESSAGE_BYTES), StandardCharsets.UTF_8).strip();
        err.transferTo(OutputStream.nullOutputStream());
      }
      int rc = p.waitFor();
      if (rc != 0) {
        throw new BackupException(command.get(0) + " failed (exit " + rc + "): " + message);
      }
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      throw new BackupException(command.get(0) + " was interrupted", e);
    }
  }
}

package org.silverlining.cli.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output of a process the tests start (a node, {@code silver serve}), copied line by line to a
 * log file while it is watched for the line that says the process is ready, such as the ports it
 * bound.
 */
final class NodeOutput {
  private NodeOutput() {}

  /**
   * Copies {@code process}'s output to {@code log} in the background. The future completes with the
   * first line matching {@code ready} (its match, for the groups), or with {@code null} when the
   * output ends without one.
   */
  static CompletableFuture<Matcher> copy(Process process, Path log, Pattern ready) {
    CompletableFuture<Matcher> seen = new CompletableFuture<>();
    Thread copier =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                  OutputStream out = Files.newOutputStream(log)) {
                String line;
                while ((line = in.readLine()) != null) {
                  out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                  out.flush();
                  Matcher m = ready.matcher(line);
                  if (!seen.isDone() && m.find()) {
                    seen.complete(m);
                  }
                }
              } catch (IOException e) {
                // The process is gone; what it said is in the log.
              } finally {
                seen.complete(null);
              }
            },
            "output-of-" + process.pid());
    copier.setDaemon(true);
    copier.start();
    return seen;
  }
}

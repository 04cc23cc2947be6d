package org.silverlining.node.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.silverlining.core.PrivateFile;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.steps.StepRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of the restore of an app's data that is running, {@code backups/APP/restore.json}: the
 * step it is in, written (and synced) before the step acts, and the checkpoint of the data before,
 * once begun. It is deleted when the restore ends either way, so a node that finds one when it
 * starts knows that a restore was cut short and in which step ({@link Interrupted}).
 */
final class RestoreJournal implements StepRecorder {
  private static final Logger log = LoggerFactory.getLogger(RestoreJournal.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The environment variable of test mode, shared with deployments. */
  static final String PAUSE_VARIABLE = "SILVER_TEST_PAUSE_AT";

  private final Path file;
  private final Path root;
  private final RestoreJob job;
  private final Map<String, Long> stages = new LinkedHashMap<>();

  /** What a cut-short restore's record says: what it restored, the step, its checkpoint. */
  record Interrupted(String what, String step, String checkpoint) {}

  RestoreJournal(NodeLayout layout, RestoreJob job) {
    this.file = fileOf(layout, job.app);
    this.root = layout.root();
    this.job = job;
  }

  static Path fileOf(NodeLayout layout, String app) {
    return layout.appRestoreRecord(app);
  }

  @Override
  public void started(String step) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("what", job.what);
    m.put("step", step);
    m.put("checkpoint", job.early == null ? null : job.early.id());
    m.put("stages", stages);
    Files.createDirectories(file.getParent());
    PrivateFile.replace(file, JSON.writeValueAsString(m) + "\n");
  }

  @Override
  public void ran(String step, long millis) throws IOException {
    stages.put(step, millis);
    if (("restore:" + step).equals(System.getenv(PAUSE_VARIABLE))) {
      log.warn(
          "test mode ({}): the {} of {} paused after {}", PAUSE_VARIABLE, job.what, job.app, step);
      Files.writeString(root.resolve("test-paused"), "restore:" + step + "\n");
      while (true) {
        try {
          Thread.sleep(60_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("test mode: paused restore interrupted");
        }
      }
    }
  }

  /** The restore failed and its steps were undone: nothing is left to recover. */
  @Override
  public void failed(String step, String error) {
    ended();
  }

  /**
   * The restore ended; deletes the record. Never throws: the restore's outcome must reach the user.
   */
  void ended() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.error("cannot delete {}: {}", file, e.toString());
    }
  }

  /** The record of a restore of {@code app} that a node stop cut short, if one is there. */
  static Optional<Interrupted> find(NodeLayout layout, String app) throws IOException {
    Path f = fileOf(layout, app);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    JsonNode n = JSON.readTree(f.toFile());
    JsonNode cp = n.path("checkpoint");
    return Optional.of(
        new Interrupted(
            n.path("what").asText(""),
            n.path("step").asText(""),
            cp.isTextual() ? cp.asText() : null));
  }

  /** Deletes the record of {@code app}'s cut-short restore once it is recovered. */
  static void delete(NodeLayout layout, String app) throws IOException {
    Files.deleteIfExists(fileOf(layout, app));
  }
}

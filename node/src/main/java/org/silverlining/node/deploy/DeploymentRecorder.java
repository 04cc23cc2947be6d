package org.silverlining.node.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.silverlining.core.AppArchive;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one deployment into the registry (the {@code deployments} table) as it goes: the stage it
 * enters before the stage acts, the facts a stage settled (instance, file manifest, configuration
 * revision, checkpoint) as soon as it did, the time of each stage, and how it ended. A node killed
 * at any moment finds in the registry what the interrupted deployment may have changed.
 *
 * <p>Test mode: when the node runs with {@code SILVER_TEST_PAUSE_AT=STAGE}, a deployment stops
 * right after stage STAGE did its work, before that is recorded, writes {@code ROOT/test-paused}
 * and waits forever — so a test can {@code kill -9} the node at that exact point.
 */
final class DeploymentRecorder {
  private static final Logger log = LoggerFactory.getLogger(DeploymentRecorder.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The environment variable of test mode: the stage after which deployments pause. */
  static final String PAUSE_VARIABLE = "SILVER_TEST_PAUSE_AT";

  private final StateStore state;
  private final NodeLayout layout;
  private final long id;
  private final String pauseAt;
  private final Map<String, Long> stages = new LinkedHashMap<>();

  DeploymentRecorder(StateStore state, NodeLayout layout, long id, String pauseAt) {
    this.state = state;
    this.layout = layout;
    this.id = id;
    this.pauseAt = pauseAt;
  }

  long id() {
    return id;
  }

  /** Stage {@code stage} is about to act. */
  void started(String stage) throws SQLException {
    state.setDeploymentStage(id, stage, stagesJson());
  }

  /** Stage {@code stage} of {@code d} did its work: records what it settled. */
  void ran(Deployment d, String stage, long millis) throws SQLException, IOException {
    pauseIfAsked(stage);
    stages.put(stage, millis);
    switch (stage) {
      case "unpack" -> {
        state.setDeploymentInstance(id, d.instance);
        writeManifest(d);
      }
      case "config" ->
          state.setDeploymentConfig(id, d.configBefore, d.configRevision, d.configRecorded);
      case "checkpoint" -> {
        if (d.checkpoint != null) {
          state.setDeploymentCheckpoint(id, d.checkpoint.id());
        }
      }
      default -> {}
    }
  }

  /** The upload took {@code millis}. */
  void uploaded(long millis) {
    stages.put("upload", millis);
  }

  /** The deployment went live. */
  void succeeded() throws SQLException {
    state.finishDeployment(id, "ok", "", "", stagesJson());
  }

  /**
   * The deployment failed at {@code stage}. Never throws: the failure itself must reach the user.
   */
  void failed(String stage, String error) {
    try {
      state.finishDeployment(id, "failed", stage, error, stagesJson());
    } catch (SQLException e) {
      log.error("cannot record the failure of deployment {}: {}", id, e.toString());
    }
  }

  private String stagesJson() {
    try {
      return JSON.writeValueAsString(stages);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void writeManifest(Deployment d) throws IOException {
    Path file = layout.instanceManifest(d.app, d.instance);
    Files.createDirectories(file.getParent());
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    try (Writer w = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
      for (AppArchive.FileEntry f :
          d.files.stream().sorted(Comparator.comparing(AppArchive.FileEntry::path)).toList()) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("path", f.path());
        line.put("size", f.size());
        line.put("sha256", f.sha256());
        w.write(JSON.writeValueAsString(line));
        w.write('\n');
      }
    }
    Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private void pauseIfAsked(String stage) throws IOException {
    if (pauseAt == null || !pauseAt.equals(stage)) {
      return;
    }
    log.warn("test mode ({}): deployment {} paused after {}", PAUSE_VARIABLE, id, stage);
    Files.writeString(layout.root().resolve("test-paused"), stage + "\n");
    while (true) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("test mode: paused deployment interrupted");
      }
    }
  }
}

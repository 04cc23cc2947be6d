package org.silverlining.node.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.backupformat.Arrivals;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.service.PostgresService;
import org.silverlining.node.service.Services;
import org.silverlining.node.steps.Progress;

/**
 * A restore's checkpoint of PostgreSQL is written from the replaced database after the switch. A
 * node that stops in between leaves it unfinished, with the replaced database kept: the node
 * finishes it when it starts, or the next restore does first, and nothing replaces the data before
 * that. Against the real PostgreSQL.
 */
class UnfinishedCheckpointTest {
  @TempDir Path tmp;
  private NodeLayout layout;
  private Services.Bound pg;
  private String app;

  @BeforeAll
  static void serverAnswers() {
    LiveServers.requirePostgres();
  }

  @BeforeEach
  void setUp() throws Exception {
    layout = new NodeLayout(tmp.resolve("node"));
    layout.create();
    PostgresService service = new PostgresService();
    app = LiveServers.uniqueApp("unfinished");
    pg = new Services.Bound(service, LiveServers.scope(app, "postgresql", tmp.resolve(app)));
    service.provision(pg.scope());
    sql("CREATE TABLE note (id int PRIMARY KEY, body text)");
  }

  @AfterEach
  void drop() throws Exception {
    pg.service().drop(pg.scope());
  }

  private void sql(String statement) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                pg.service().environment(pg.scope()).get("CONFIG_PG_JDBC_URL"));
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  private String replaced() {
    return PostgresService.besideName("old", pg.scope().resourceName());
  }

  private static List<String> rows(Checkpoints.Checkpoint c) throws Exception {
    return Files.readAllLines(c.dir().resolve("postgresql/data/public.note.tsv"));
  }

  /**
   * What a node stopped right after a restore's switch leaves: the checkpoint begun, saying that
   * PostgreSQL is still to come, the app's database restored from a backup with row "new", and the
   * database with row "old" kept beside it.
   */
  private String stoppedAfterTheSwitch() throws Exception {
    sql("INSERT INTO note VALUES (1, 'new')");
    Path backup = tmp.resolve("new");
    Backup.write(List.of(pg), backup, Map.of("app", app));
    sql("UPDATE note SET body = 'old'");

    Checkpoints.Pending p = new Checkpoints(layout).begin(app, "before restore of new", Map.of());
    p.awaiting(List.of("postgresql"));
    pg.service()
        .stage(pg.scope(), backup.resolve("postgresql"), Arrivals.of(backup.resolve("postgresql")))
        .commit();
    p.suspend(); // the node stops here
    assertThat(LiveServers.databaseExists(replaced())).isTrue();
    return p.id();
  }

  @Test
  void aStartingNodeWritesTheCheckpointFromTheKeptDatabaseAndThenDropsIt() throws Exception {
    String id = stoppedAfterTheSwitch();
    Checkpoints checkpoints = new Checkpoints(layout);
    assertThat(checkpoints.list(app)).as("an unfinished checkpoint is not listed").isEmpty();
    assertThatThrownBy(() -> checkpoints.take(app, List.of(pg), "before update", Map.of()))
        .as("an update's checkpoint waits for it")
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("not written yet");
    assertThat(LiveServers.databaseExists(replaced()))
        .as("the failed update dropped nothing")
        .isTrue();

    BackupService restarted = new BackupService(layout, "test-node");
    restarted.finishUnfinished(
        List.of(new BackupService.Target("x.test", app, "i1", Map.of(), () -> List.of(pg))));

    List<Checkpoints.Checkpoint> listed = restarted.checkpoints().list(app);
    assertThat(listed).extracting(Checkpoints.Checkpoint::id).containsExactly(id);
    assertThat(rows(listed.get(0))).containsExactly("id\tbody", "1\told");
    assertThat(Backup.verify(listed.get(0).dir())).isEmpty();
    assertThat(LiveServers.databaseExists(replaced())).isFalse();
  }

  @Test
  void theNextRestoreWritesTheUnfinishedCheckpointFirst() throws Exception {
    String id = stoppedAfterTheSwitch();
    BackupService restarted = new BackupService(layout, "test-node");
    ByteArrayOutputStream archive = new ByteArrayOutputStream();
    try (BackupService.Snapshot s = restarted.snapshot(app, "i1", List.of(pg))) {
      s.writeTo(archive, BackupArchive.Compression.NONE);
    }

    BackupService.Restored r =
        restarted.restore(
            app, "i1", List.of(pg), new ByteArrayInputStream(archive.toByteArray()), Progress.NONE);

    List<Checkpoints.Checkpoint> listed = restarted.checkpoints().list(app);
    assertThat(listed).extracting(Checkpoints.Checkpoint::id).containsExactly(r.checkpoint(), id);
    assertThat(rows(listed.get(1))).containsExactly("id\tbody", "1\told");
    assertThat(rows(listed.get(0))).containsExactly("id\tbody", "1\tnew");
    assertThat(LiveServers.databaseExists(replaced())).isFalse();
  }
}

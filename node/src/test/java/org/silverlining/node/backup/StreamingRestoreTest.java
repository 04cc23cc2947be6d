package org.silverlining.node.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.service.PostgresService;
import org.silverlining.node.service.Services;
import org.silverlining.node.steps.Progress;

/**
 * An uploaded backup's PostgreSQL rows are loaded while the upload is still arriving, into a
 * database beside the app's, which the app keeps until the switch: against the real PostgreSQL.
 */
class StreamingRestoreTest {
  private static final int ROWS = 50_000;

  @TempDir Path tmp;
  private Services.Bound pg;
  private BackupService backups;
  private byte[] archive;

  @BeforeAll
  static void serverAnswers() {
    LiveServers.requirePostgres();
  }

  @BeforeEach
  void setUp() throws Exception {
    NodeLayout layout = new NodeLayout(tmp.resolve("node"));
    layout.create();
    backups = new BackupService(layout, "test-node");
    PostgresService service = new PostgresService();
    String app = LiveServers.uniqueApp("stream");
    pg = new Services.Bound(service, LiveServers.scope(app, "postgresql", tmp.resolve(app)));
    service.provision(pg.scope());
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE item (id int PRIMARY KEY, name text)");
      st.execute(
          "INSERT INTO item SELECT g, repeat('x', 100) || g FROM generate_series(1, "
              + ROWS
              + ") g");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (BackupService.Snapshot s = backups.snapshot(app, "i1", List.of(pg))) {
      s.writeTo(out, BackupArchive.Compression.NONE);
    }
    archive = out.toByteArray();
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      st.execute("DELETE FROM item WHERE id > 10");
    }
  }

  @AfterEach
  void drop() throws Exception {
    pg.service().drop(pg.scope());
  }

  private Connection connect() throws Exception {
    return DriverManager.getConnection(
        pg.service().environment(pg.scope()).get("CONFIG_PG_JDBC_URL"));
  }

  private long count() throws Exception {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM item")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Rows the COPY into the database beside the app's has taken so far; 0 when none runs. Asked as
   * the admin, who runs the COPY: another role sees no figures of it.
   */
  private long rowsCopiedBeside() throws Exception {
    try (Connection c =
            DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT coalesce(sum(tuples_processed), 0) FROM pg_stat_progress_copy"
                    + " WHERE datname = ?")) {
      ps.setString(1, PostgresService.besideName("restore", pg.scope().resourceName()));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * The archive's first {@code part} bytes at once; the rest once {@code release} completes with
   * true, or the end there (the sender went away) when it completes with false.
   */
  private InputStream held(int part, CompletableFuture<Boolean> release) throws IOException {
    PipedInputStream in = new PipedInputStream(1 << 20);
    PipedOutputStream out = new PipedOutputStream(in);
    CompletableFuture.runAsync(
        () -> {
          try (out) {
            out.write(archive, 0, part);
            out.flush();
            if (release.get(60, TimeUnit.SECONDS)) {
              out.write(archive, part, archive.length - part);
            }
          } catch (Exception e) {
            // the restore reads a truncated upload and says so
          }
        });
    return in;
  }

  @Test
  void rowsLoadWhileTheUploadArrivesAndTheAppKeepsItsDataUntilTheSwitch() throws Exception {
    CompletableFuture<Boolean> release = new CompletableFuture<>();
    CompletableFuture<BackupService.Restored> restored =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return backups.restore(
                    pg.scope().app(),
                    "i2",
                    List.of(pg),
                    held(archive.length * 3 / 4, release),
                    Progress.NONE);
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });

    long copied = 0;
    for (int i = 0; i < 400 && copied == 0; i++) {
      Thread.sleep(50);
      copied = rowsCopiedBeside();
    }
    assertThat(copied).as("rows loaded before the upload ended").isPositive().isLessThan(ROWS);
    assertThat(restored).isNotDone();
    assertThat(count()).as("the app's data while the restore loads").isEqualTo(10);
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO item VALUES (" + (ROWS + 1) + ", 'written during the load')");
    }

    release.complete(true);
    BackupService.Restored r = restored.get(60, TimeUnit.SECONDS);
    assertThat(count()).isEqualTo(ROWS);

    // The checkpoint is written from the replaced database after the switch: it holds what the
    // app wrote during the load too, and then the replaced database is gone.
    Checkpoints.Checkpoint before =
        backups.checkpoints().find(pg.scope().app(), r.checkpoint()).orElseThrow();
    List<String> rows = Files.readAllLines(before.dir().resolve("postgresql/data/public.item.tsv"));
    assertThat(rows).hasSize(1 + 11).last().isEqualTo((ROWS + 1) + "\twritten during the load");
    assertThat(
            LiveServers.databaseExists(
                PostgresService.besideName("old", pg.scope().resourceName())))
        .isFalse();
  }

  @Test
  void anUploadCutWhileRowsLoadTouchesNothing() throws Exception {
    CompletableFuture<Boolean> release = new CompletableFuture<>();
    InputStream cut = held(archive.length * 3 / 4, release);
    CompletableFuture<Void> cutting =
        CompletableFuture.runAsync(
            () -> {
              try {
                while (rowsCopiedBeside() == 0) {
                  Thread.sleep(20);
                }
                release.complete(false); // the sender goes away mid-file
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });

    assertThatThrownBy(
            () -> backups.restore(pg.scope().app(), "i2", List.of(pg), cut, Progress.NONE))
        .hasMessageContaining("nothing was restored");
    cutting.get(30, TimeUnit.SECONDS);

    assertThat(count()).isEqualTo(10);
    assertThat(backups.checkpoints().list(pg.scope().app())).isEmpty();
    try (Connection c = connect();
        PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      ps.setString(1, PostgresService.besideName("restore", pg.scope().resourceName()));
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("the database the rows were loading into is gone").isFalse();
      }
    }
  }
}

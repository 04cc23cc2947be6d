package org.silverlining.node.backupformat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.backup.BackupArchive;
import org.silverlining.node.backup.BackupStream;
import org.silverlining.node.backup.LiveServers;
import org.silverlining.node.backup.Manifest;

/**
 * A table read as stored gives the same file as one read through its key, and a table not stored in
 * key order is noticed and read through its key (real PostgreSQL).
 */
class StoredOrderTest {
  private static final String ADMIN = "jdbc:postgresql://127.0.0.1:5432/%s?user=postgres";
  private static final List<String> COLUMNS = List.of("note", "id", "pad");

  @TempDir Path tmp;
  private String database;
  private PostgresTarget target;

  @BeforeAll
  static void serverAnswers() {
    LiveServers.requirePostgres();
  }

  @BeforeEach
  void makeDatabase() throws SQLException {
    database = LiveServers.uniqueApp("stored_order").replace('-', '_');
    sql("postgres", "CREATE DATABASE " + database);
    target = new PostgresTarget("127.0.0.1", 5432, "postgres", "", database, "postgres");
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    sql("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  }

  /** A table of {@code rows(from, to)} batches, inserted in the order given; keys in column 2. */
  private void table(String name, String type, long[]... batches) throws SQLException {
    sql(database, "CREATE TABLE " + name + " (note text, id " + type + " PRIMARY KEY, pad text)");
    for (long[] b : batches) {
      sql(
          database,
          "INSERT INTO "
              + name
              + " SELECT 'row' || E'\\t' || g, g, repeat('x', 100) FROM generate_series("
              + b[0]
              + ", "
              + b[1]
              + ") g");
    }
  }

  /**
   * Table {@code mixed} of 120,000 rows inserted out of key order (the last third's keys come
   * between the first's and the second's) and never updated: only reading it tells.
   */
  private void mixed() throws SQLException {
    table(
        "mixed",
        "int8",
        new long[] {1, 40_000},
        new long[] {80_001, 120_000},
        new long[] {40_001, 80_000});
  }

  @Test
  void anAppendedTableIsReadAsStoredIntoTheFileTheKeyOrderGives() throws Exception {
    table("appended", "int4", new long[] {-40_000, 60_000});
    Path stored = tmp.resolve("stored.tsv");
    try (Connection c = snapshot()) {
      assertThat(
              StoredOrder.write(
                  target, c, oid(c, "appended"), "id", select("appended"), COLUMNS, stored))
          .isTrue();
      Path keyed = tmp.resolve("keyed.tsv");
      PostgresBackup.copyOut(c, select("appended") + " ORDER BY id", COLUMNS, keyed, null);
      assertThat(Files.size(stored)).isGreaterThan(StoredOrder.MIN_BYTES);
      assertThat(Files.mismatch(stored, keyed)).isEqualTo(-1);
    }
  }

  @Test
  void aTableNotStoredInKeyOrderIsNoticedAndTheBackupStillComesOutInKeyOrder() throws Exception {
    mixed();
    table("after", "int8", new long[] {1, 90_000});
    try (Connection c = snapshot()) {
      assertThat(
              StoredOrder.write(
                  target, c, oid(c, "mixed"), "id", select("mixed"), COLUMNS, tmp.resolve("m.tsv")))
          .isFalse();
      // the backup's own connection goes on as if nothing was tried
      assertThat(
              StoredOrder.write(
                  target, c, oid(c, "after"), "id", select("after"), COLUMNS, tmp.resolve("a.tsv")))
          .isTrue();
    }
    Path dir = tmp.resolve("backup");
    PostgresBackup.write(target, dir);
    List<String> keys =
        Files.readAllLines(dir.resolve("data/public.mixed.tsv"), StandardCharsets.UTF_8).stream()
            .skip(1)
            .map(l -> l.split("\t")[1])
            .toList();
    assertThat(keys).hasSize(120_000).startsWith("1", "2").endsWith("119999", "120000");
    assertThat(keys)
        .isSortedAccordingTo((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
  }

  @Test
  void aStreamedBackupSendsATableFoundOutOfOrderAgainWholeAndTheReceiverKeepsThatOne()
      throws Exception {
    mixed();
    Path dir = tmp.resolve("sent");
    java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
    BackupStream.Writer stream = new BackupStream.Writer(wire, dir);
    try (HashedFiles hashed = HashedFiles.record(stream)) {
      PostgresBackup.write(target, dir);
    }
    Files.writeString(dir.resolve(Manifest.FILE), "{}");
    stream.finish();

    Path received = tmp.resolve("received");
    BackupArchive.Contents got =
        BackupStream.read(new java.io.ByteArrayInputStream(wire.toByteArray()), received, "test");
    Path file = Path.of("data", "public.mixed.tsv");
    assertThat(Files.mismatch(dir.resolve(file), received.resolve(file))).isEqualTo(-1);
    assertThat(got.sums())
        .containsEntry("data/public.mixed.tsv", Manifest.sha256(dir.resolve(file)));
    assertThat((long) wire.size())
        .as("the partial first read went out too")
        .isGreaterThan(Files.size(dir.resolve(file)) + Files.size(dir.resolve(file)) / 10);
  }

  @Test
  void keysAreComparedAsIntegersInAnyColumn() {
    StoredOrder.Ascending second = new StoredOrder.Ascending(1);
    assertThat(second.test(bytes("a\\tb\t-9223372036854775808\tx\n"))).isTrue();
    assertThat(second.test(bytes("z\t-10\t\\N\n"))).isTrue();
    assertThat(second.test(bytes("z\t-9\n"))).isTrue();
    assertThat(second.test(bytes("\t0\t\n"))).isTrue();
    assertThat(second.test(bytes("a\t10\tb\n"))).isTrue();
    assertThat(second.test(bytes("a\t9223372036854775807\n"))).isTrue();
    assertThat(second.test(bytes("a\t9223372036854775807\n")))
        .as("a key equal to the last")
        .isFalse();
    StoredOrder.Ascending first = new StoredOrder.Ascending(0);
    assertThat(first.test(bytes("100\tx\n"))).isTrue();
    assertThat(first.test(bytes("99\tx\n"))).isFalse();
  }

  private static byte[] bytes(String row) {
    return row.getBytes(StandardCharsets.UTF_8);
  }

  private static String select(String table) {
    return PostgresBackup.selectInKeyOrder("public." + table, COLUMNS, List.of(), List.of(), false);
  }

  /** A connection in a backup's transaction, as {@link PostgresBackup#write} opens it. */
  private Connection snapshot() throws SQLException {
    Connection c = target.connect();
    PostgresBackup.beginReading(c, null);
    return c;
  }

  private static long oid(Connection c, String table) throws SQLException {
    try (Statement st = c.createStatement();
        var rs = st.executeQuery("SELECT '" + table + "'::regclass::oid")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void sql(String db, String statement) throws SQLException {
    try (Connection c = DriverManager.getConnection(String.format(ADMIN, db));
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }
}

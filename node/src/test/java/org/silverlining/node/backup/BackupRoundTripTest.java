package org.silverlining.node.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.backupformat.CopyText;
import org.silverlining.node.backupformat.RowFile;
import org.silverlining.node.service.FilesService;
import org.silverlining.node.service.PostgresService;
import org.silverlining.node.service.Service;
import org.silverlining.node.service.ServiceScope;
import org.silverlining.node.service.Services;
import org.silverlining.node.service.SqliteService;
import org.silverlining.node.service.WritableRootService;

/**
 * Backups of PostgreSQL, SQLite, files and writable_root against the real PostgreSQL at
 * 127.0.0.1:5432: stable bytes, one changed line per changed row, exact round trips into another
 * app, and refusal of damaged backups and of other services before anything is touched.
 */
class BackupRoundTripTest {
  /** Text with every character the row format must carry: tabs, newlines, backslash, Unicode. */
  static final String AWKWARD = "tab\there\nnew line\r\\back\\slash \"quoted\" ünï 😀 \u0001";

  static final Map<String, String> FIXED_FACTS =
      Map.of("app", "one", "node", "n1", "instance", "i1", "created", "2026-01-01T00:00:00Z");

  @TempDir Path tmp;
  private final List<Services.Bound> made = new ArrayList<>();
  private List<Services.Bound> source;

  @BeforeAll
  static void serverAnswers() {
    LiveServers.requirePostgres();
  }

  @BeforeEach
  void makeSource() throws Exception {
    source =
        app(
            "src",
            List.of(
                new PostgresService(),
                new SqliteService(),
                new FilesService(),
                new WritableRootService()));
    try (Connection c = pg(source);
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE item (id serial PRIMARY KEY, name text, data bytea, price numeric(40,20),"
              + " ratio float8, at timestamptz, local timestamp, day date, doc jsonb, tags text[],"
              + " span interval, big bigint)");
      st.execute("CREATE TABLE child (id int PRIMARY KEY, item int REFERENCES item(id))");
      st.execute("CREATE TABLE log (line text, n int)"); // no primary key
      st.execute("CREATE INDEX item_name ON item (name)");
      st.execute("CREATE VIEW names AS SELECT name FROM item");
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO item (name, data, price, ratio, at, local, day, doc, tags, span, big)"
                  + " VALUES (?, ?, ?::numeric, ?, ?::timestamptz, ?::timestamp, ?::date,"
                  + " ?::jsonb, ?::text[], ?::interval, ?)")) {
        ps.setString(1, AWKWARD);
        ps.setBytes(2, new byte[] {0, 1, 2, (byte) 0xff, '\n', '\t', '\\'});
        ps.setString(3, "12345678901234567890.12345678901234567890");
        ps.setDouble(4, 0.1 + 0.2);
        ps.setString(5, "2024-02-29 23:59:59.123456+05:30");
        ps.setString(6, "1999-12-31 23:59:59.999999");
        ps.setString(7, "0001-01-01");
        ps.setString(8, "{\"b\": [1, 2.50], \"a\": \"x\\ny\"}");
        ps.setString(9, "{\"a,b\",\"c\\\"d\",NULL}");
        ps.setString(10, "1 year 2 mons 3 days 04:05:06.789");
        ps.setLong(11, Long.MIN_VALUE);
        ps.execute();
        for (int i = 0; i < 5; i++) {
          ps.setString(1, "row " + i);
          for (int p = 2; p <= 11; p++) {
            ps.setNull(p, java.sql.Types.NULL);
          }
          ps.execute();
        }
      }
      st.execute("INSERT INTO child VALUES (1, 1), (2, 3)");
      st.execute("INSERT INTO log VALUES ('b', 2), ('a', 1), (NULL, NULL), ('a', NULL)");
    }
    try (Connection c = sqlite(source);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE note (id INTEGER PRIMARY KEY AUTOINCREMENT, body, score REAL)");
      st.execute("CREATE TABLE pair (a TEXT COLLATE NOCASE, b)");
      st.execute("CREATE INDEX note_score ON note (score)");
      st.execute(
          "CREATE TRIGGER note_touch AFTER INSERT ON note BEGIN"
              + " INSERT INTO pair VALUES ('trigger', new.id); END");
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO note (body, score) VALUES (?, ?)")) {
        ps.setString(1, AWKWARD);
        ps.setDouble(2, 0.1 + 0.2);
        ps.execute();
        ps.setBytes(1, new byte[] {0, (byte) 0x80, 10});
        ps.setDouble(2, Double.POSITIVE_INFINITY);
        ps.execute();
        ps.setLong(1, Long.MAX_VALUE);
        ps.setNull(2, java.sql.Types.NULL);
        ps.execute();
      }
      st.execute("INSERT INTO pair VALUES ('B', 1), ('a', 2.5), ('A', NULL)");
    }
    Path files = env(source, "CONFIG_FILES");
    Files.createDirectories(files.resolve("sub/empty"));
    Files.writeString(files.resolve("sub/ünï.txt"), AWKWARD);
    Files.write(files.resolve("bin"), new byte[] {0, 1, 2});
    Files.writeString(env(source, "CONFIG_WRITABLE_ROOT").resolve("index.html"), "<p>hi</p>");
  }

  @AfterEach
  void dropEverything() throws Exception {
    for (Services.Bound b : made) {
      b.service().drop(b.scope());
    }
  }

  private List<Services.Bound> app(String base, List<Service> services) throws Exception {
    String name = LiveServers.uniqueApp(base);
    List<Services.Bound> out = new ArrayList<>();
    for (Service s : services) {
      ServiceScope scope = LiveServers.scope(name, s.name(), tmp.resolve(name));
      Services.Bound b = new Services.Bound(s, scope);
      s.provision(scope);
      made.add(b);
      out.add(b);
    }
    return out;
  }

  private static Services.Bound find(List<Services.Bound> app, String service) {
    return app.stream().filter(b -> b.service().name().equals(service)).findFirst().orElseThrow();
  }

  private static Path env(List<Services.Bound> app, String variable) throws Exception {
    for (Services.Bound b : app) {
      String v = b.service().environment(b.scope()).get(variable);
      if (v != null) {
        return Path.of(v);
      }
    }
    throw new AssertionError(variable);
  }

  private static Connection pg(List<Services.Bound> app) throws Exception {
    Services.Bound b = find(app, "postgresql");
    return DriverManager.getConnection(
        b.service().environment(b.scope()).get("CONFIG_PG_JDBC_URL"));
  }

  private static Connection sqlite(List<Services.Bound> app) throws Exception {
    Services.Bound b = find(app, "sqlite");
    return DriverManager.getConnection(
        b.service().environment(b.scope()).get("CONFIG_SQLITE_JDBC_URL"));
  }

  private static List<String> rows(Connection c, String query) throws Exception {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          Object v = rs.getObject(i);
          b.append(v instanceof byte[] bytes ? java.util.HexFormat.of().formatHex(bytes) : v)
              .append('|');
        }
        out.add(b.toString());
      }
    }
    return out;
  }

  @Test
  void twoBackupsOfUnchangedDataHaveByteIdenticalFiles() throws Exception {
    Manifest first = Backup.write(source, tmp.resolve("b1"), Map.of("app", "x"));
    Manifest second = Backup.write(source, tmp.resolve("b2"), Map.of("app", "x"));

    BackupFiles.assertSameData(tmp.resolve("b2"), tmp.resolve("b1"));
    assertThat(second.files()).isEqualTo(first.files());
    assertThat(first.files())
        .containsKeys(
            "postgresql/schema.sql",
            "postgresql/constraints.sql",
            "postgresql/sequences.jsonl",
            "postgresql/data/public.item.tsv",
            "postgresql/data/public.log.tsv",
            "sqlite/schema.sql",
            "sqlite/data/note.jsonl",
            "sqlite/data/sqlite_sequence.jsonl",
            "files/sub/ünï.txt",
            "writable_root/index.html");
    assertThat(first.services().get("postgresql").server()).startsWith("PostgreSQL ");
    String schema = Files.readString(tmp.resolve("b1/postgresql/schema.sql"));
    assertThat(schema).contains("CREATE TABLE public.item").doesNotContain("Dumped", "\\restrict");
  }

  @Test
  void theSameDataGivesTheSameArchiveBytes() throws Exception {
    Backup.write(source, tmp.resolve("a1.tar.gz"), FIXED_FACTS);
    Backup.write(source, tmp.resolve("a2.tar.gz"), FIXED_FACTS);

    assertThat(Files.readAllBytes(tmp.resolve("a2.tar.gz")))
        .isEqualTo(Files.readAllBytes(tmp.resolve("a1.tar.gz")));
    assertThat(Backup.verify(tmp.resolve("a1.tar.gz"))).isEmpty();
  }

  @Test
  void changingOneRowChangesExactlyOneLine() throws Exception {
    Backup.write(source, tmp.resolve("before"), Map.of());
    try (Connection c = pg(source);
        Statement st = c.createStatement()) {
      st.execute("UPDATE item SET name = 'changed' WHERE name = 'row 2'");
    }
    Backup.write(source, tmp.resolve("after"), Map.of());

    SortedMap<String, String> before = BackupFiles.dataFiles(tmp.resolve("before"));
    SortedMap<String, String> after = BackupFiles.dataFiles(tmp.resolve("after"));
    for (String file : before.keySet()) {
      List<String> a = before.get(file).lines().toList();
      List<String> b = after.get(file).lines().toList();
      assertThat(b).as(file).hasSameSizeAs(a);
      int changed = 0;
      for (int i = 0; i < a.size(); i++) {
        changed += a.get(i).equals(b.get(i)) ? 0 : 1;
      }
      assertThat(changed)
          .as(file)
          .isEqualTo(file.equals("postgresql/data/public.item.tsv") ? 1 : 0);
    }
  }

  @Test
  void aRestoreIntoAnotherAppGivesTheSameBackupAndTheSameValues() throws Exception {
    Backup.write(source, tmp.resolve("b1.tar.gz"), Map.of());
    List<Services.Bound> other =
        app(
            "dst",
            List.of(
                new PostgresService(),
                new SqliteService(),
                new FilesService(),
                new WritableRootService()));
    try (Connection c = pg(other);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE old_stuff (n int)"); // replaced by the restore
    }

    Backup.restore(tmp.resolve("b1.tar.gz"), other);
    Backup.write(other, tmp.resolve("b2"), Map.of());
    Backup.write(source, tmp.resolve("b1"), Map.of());

    BackupFiles.assertSameData(tmp.resolve("b2"), tmp.resolve("b1"));
    String all = "SELECT * FROM item ORDER BY id";
    try (Connection a = pg(source);
        Connection b = pg(other)) {
      assertThat(rows(b, all)).isEqualTo(rows(a, all)).hasSize(6);
      assertThat(rows(b, "SELECT name, data, price::text FROM item WHERE id = 1"))
          .containsExactly(AWKWARD + "|000102ff0a095c|12345678901234567890.12345678901234567890|");
      assertThat(rows(b, "SELECT ratio = 0.1::float8 + 0.2::float8 FROM item WHERE id = 1"))
          .containsExactly("true|");
      assertThat(rows(b, "SELECT to_regclass('old_stuff') IS NULL")).containsExactly("true|");
      assertThat(rows(b, "SELECT tableowner FROM pg_tables WHERE tablename = 'item'"))
          .containsExactly(find(other, "postgresql").scope().resourceName() + "|");
      // The sequence goes on where it stopped, and the foreign key is back.
      assertThat(rows(b, "SELECT nextval('item_id_seq')")).containsExactly("7|");
      assertThatThrownBy(() -> b.createStatement().execute("INSERT INTO child VALUES (9, 999)"))
          .hasMessageContaining("foreign key");
    }
    String notes = "SELECT id, body, typeof(body), score FROM note ORDER BY id";
    try (Connection a = sqlite(source);
        Connection b = sqlite(other)) {
      assertThat(rows(b, notes)).isEqualTo(rows(a, notes)).hasSize(3);
      assertThat(rows(b, "SELECT count(*) FROM pair"))
          .isEqualTo(rows(a, "SELECT count(*) FROM pair"));
    }
    assertThat(Files.readString(env(other, "CONFIG_FILES").resolve("sub/ünï.txt")))
        .isEqualTo(AWKWARD);
    assertThat(env(other, "CONFIG_FILES").resolve("sub/empty")).isDirectory();
  }

  @Test
  void aPostgresRestoreLoadsBesideTheAppsDatabaseAndSwapsClosingItsConnections() throws Exception {
    Backup.write(List.of(find(source, "postgresql")), tmp.resolve("b"), Map.of());
    List<Services.Bound> other = app("swap", List.of(new PostgresService()));
    try (Connection open = pg(other)) {
      try (Statement st = open.createStatement()) {
        st.execute("CREATE TABLE old_stuff (n int)");
      }

      Backup.restore(tmp.resolve("b"), other);

      // The app's connection went with the old database; a new one finds the restored data.
      assertThatThrownBy(() -> open.createStatement().execute("SELECT 1"))
          .hasMessageContaining("terminat");
    }
    try (Connection c = pg(other)) {
      assertThat(rows(c, "SELECT count(*) FROM item")).containsExactly("6|");
      assertThat(rows(c, "SELECT to_regclass('old_stuff') IS NULL")).containsExactly("true|");
      assertThat(rows(c, "SELECT has_database_privilege('public', current_database(), 'CONNECT')"))
          .containsExactly("false|");
    }
    // the old database is dropped in the background
    for (int i = 0; i < 100 && !databasesBeside(other).isEmpty(); i++) {
      Thread.sleep(50);
    }
    assertThat(databasesBeside(other)).isEmpty();
  }

  @Test
  void theSwitchWinsAgainstAnAppThatKeepsReconnecting() throws Exception {
    Backup.write(List.of(find(source, "postgresql")), tmp.resolve("b"), Map.of());
    List<Services.Bound> other = app("busy", List.of(new PostgresService()));
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger sawRestored =
        new java.util.concurrent.atomic.AtomicInteger();
    Thread app =
        new Thread(
            () -> {
              while (!stop.get()) {
                try (Connection c = pg(other);
                    Statement st = c.createStatement()) {
                  for (int i = 0; i < 20 && !stop.get(); i++) {
                    try (ResultSet rs = st.executeQuery("SELECT to_regclass('item') IS NOT NULL")) {
                      rs.next();
                      if (rs.getBoolean(1)) {
                        sawRestored.incrementAndGet();
                      }
                    }
                  }
                } catch (Exception e) {
                  // closed by the switch, or the database is being renamed: connect again
                }
              }
            });
    app.start();
    try {
      Backup.restore(tmp.resolve("b"), other);
      for (int i = 0; i < 200 && sawRestored.get() == 0; i++) {
        Thread.sleep(10);
      }
    } finally {
      stop.set(true);
      app.join();
    }
    assertThat(sawRestored.get()).as("queries that found the restored table").isPositive();
    try (Connection c = pg(other)) {
      assertThat(rows(c, "SELECT count(*) FROM item")).containsExactly("6|");
    }
  }

  @Test
  void aPostgresRestoreThatFailsToLoadLeavesTheAppsDatabaseAsItWas() throws Exception {
    Path dir = tmp.resolve("bad");
    Backup.write(List.of(find(source, "postgresql")), dir, Map.of());
    Path schema = dir.resolve("postgresql/schema.sql");
    Files.writeString(
        schema, Files.readString(schema) + "\nCREATE TABLE public.broken (n no_such_type);\n");
    new Manifest(new java.util.TreeMap<>(), Manifest.read(dir).services(), Manifest.checksums(dir))
        .write(dir);
    List<Services.Bound> other = app("kept", List.of(new PostgresService()));
    try (Connection c = pg(other);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE mine (n int)");
      st.execute("INSERT INTO mine VALUES (1), (2)");
    }

    int line = (int) Files.readString(schema).lines().count();
    assertThatThrownBy(() -> Backup.restore(dir, other))
        .hasMessageContaining(
            "schema.sql line "
                + line
                + ": ERROR: type \"no_such_type\" does not exist"
                + " (CREATE TABLE public.broken (n no_such_type);)");

    try (Connection c = pg(other)) {
      assertThat(rows(c, "SELECT count(*) FROM mine")).containsExactly("2|");
      assertThat(rows(c, "SELECT to_regclass('item') IS NULL")).containsExactly("true|");
    }
    assertThat(databasesBeside(other)).isEmpty();
  }

  /** The databases a restore of {@code app}'s PostgreSQL keeps beside it, left over. */
  private static List<String> databasesBeside(List<Services.Bound> app) throws Exception {
    String name = find(app, "postgresql").scope().resourceName();
    try (Connection c = pg(app);
        PreparedStatement ps =
            c.prepareStatement("SELECT datname FROM pg_database WHERE datname IN (?, ?)")) {
      ps.setString(1, PostgresService.besideName("restore", name));
      ps.setString(2, PostgresService.besideName("old", name));
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }

  @Test
  void aVersionOneBackupWithJsonLinesStillRestores() throws Exception {
    Path dir = tmp.resolve("v1");
    Backup.write(source, dir, Map.of());
    // Version 1 held each PostgreSQL table as JSON lines: one array of strings and nulls a row.
    for (String table : List.of("item", "child", "log")) {
      Path tsv = dir.resolve("postgresql/data/public." + table + ".tsv");
      List<String> lines = Files.readAllLines(tsv);
      try (RowFile.Writer w =
          new RowFile.Writer(
              tsv.resolveSibling("public." + table + ".jsonl"),
              CopyText.parse(lines.get(0).getBytes(StandardCharsets.UTF_8)))) {
        for (String line : lines.subList(1, lines.size())) {
          w.startRow();
          for (String v : CopyText.parse(line.getBytes(StandardCharsets.UTF_8))) {
            w.value(v);
          }
          w.endRow();
        }
      }
      Files.delete(tsv);
    }
    new Manifest(new java.util.TreeMap<>(), Manifest.read(dir).services(), Manifest.checksums(dir))
        .write(dir);
    Path manifest = dir.resolve(Manifest.FILE);
    Files.writeString(
        manifest, Files.readString(manifest).replace("\"version\" : 2", "\"version\" : 1"));
    List<Services.Bound> other =
        app(
            "old",
            List.of(
                new PostgresService(),
                new SqliteService(),
                new FilesService(),
                new WritableRootService()));

    Backup.restore(dir, other);

    String all = "SELECT * FROM item ORDER BY id";
    try (Connection a = pg(source);
        Connection b = pg(other)) {
      assertThat(rows(b, all)).isEqualTo(rows(a, all)).hasSize(6);
      assertThat(rows(b, "SELECT * FROM log ORDER BY 1, 2"))
          .isEqualTo(rows(a, "SELECT * FROM log ORDER BY 1, 2"));
    }
    Files.writeString(
        manifest, Files.readString(manifest).replace("\"version\" : 1", "\"version\" : 3"));
    assertThatThrownBy(() -> Backup.restore(dir, other))
        .hasMessageContaining("format version 3; this node reads versions 1 to 2: update the node");
  }

  @Test
  void aTruncatedArchiveIsRefusedBeforeAnythingIsTouched() throws Exception {
    Path archive = tmp.resolve("b.tar.gz");
    Backup.write(source, archive, Map.of());
    try (RandomAccessFile f = new RandomAccessFile(archive.toFile(), "rw")) {
      f.setLength(f.length() * 2 / 3);
    }
    assertThat(Backup.verify(archive)).singleElement().asString().contains("truncated");

    assertThatThrownBy(() -> Backup.restore(archive, source))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("nothing was restored");
    try (Connection c = pg(source)) {
      assertThat(rows(c, "SELECT count(*) FROM item")).containsExactly("6|");
    }
  }

  @Test
  void anAlteredFileIsListedAndRefusedBeforeAnythingIsTouched() throws Exception {
    Path dir = tmp.resolve("b");
    Backup.write(source, dir, Map.of());
    Path data = dir.resolve("postgresql/data/public.log.tsv");
    Files.writeString(data, Files.readString(data).replace("b\t2\n", "c\t2\n"));
    Files.writeString(dir.resolve("files/extra"), "x");
    Files.delete(dir.resolve("writable_root/index.html"));

    assertThat(Backup.verify(dir))
        .hasSize(3)
        .anySatisfy(p -> assertThat(p).startsWith("postgresql/data/public.log.tsv: altered"))
        .contains("files/extra: not in the manifest", "writable_root/index.html: missing");
    try (Connection c = pg(source);
        Statement st = c.createStatement()) {
      st.execute("DELETE FROM log");
    }
    assertThatThrownBy(() -> Backup.restore(dir, source))
        .hasMessageContaining("public.log.tsv: altered");
    try (Connection c = pg(source)) {
      assertThat(rows(c, "SELECT count(*) FROM log")).containsExactly("0|");
      assertThat(rows(c, "SELECT count(*) FROM item")).containsExactly("6|");
    }
  }

  @Test
  void aRestoreIntoAnAppWithOtherServicesFailsListingTheDifference() throws Exception {
    Backup.write(
        List.of(find(source, "postgresql"), find(source, "files")), tmp.resolve("b"), Map.of());
    List<Services.Bound> other = app("other", List.of(new PostgresService(), new SqliteService()));

    assertThatThrownBy(() -> Backup.restore(tmp.resolve("b"), other))
        .hasMessageContaining("service.files: in the backup, not in the app")
        .hasMessageContaining("service.sqlite: in the app, not in the backup");
  }

  @Test
  void anExistingTargetIsRefused() throws Exception {
    Files.writeString(tmp.resolve("taken"), "");
    assertThatThrownBy(() -> Backup.write(source, tmp.resolve("taken"), Map.of()))
        .hasMessageContaining("exists already");
    assertThat(Files.readString(tmp.resolve("taken"), StandardCharsets.UTF_8)).isEmpty();
  }
}

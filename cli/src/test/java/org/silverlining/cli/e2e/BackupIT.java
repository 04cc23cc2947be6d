package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.RandomAccessFile;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code silver backup}, {@code silver restore} and {@code silver backups} as a user runs them,
 * against two real nodes on the machine's PostgreSQL: identical data files for unchanged data, a
 * restore into another app on another node that round-trips, checkpoints to return to, a site to
 * site clone, and the failures that must change nothing (a damaged archive, other services, "n").
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RUN = Long.toString(System.currentTimeMillis() % 2_000_000_000L, 36);
  private static final Pattern CHECKPOINT =
      Pattern.compile("silver restore --checkpoint (\\S+) (\\S+)");
  private static final String SOURCE = "bk-a-" + RUN;
  private static final String TARGET = "bk-b-" + RUN;
  private static final String CLONE = "bk-c-" + RUN;
  private static final String A_HOST = "a.backup.test";
  private static final String B_HOST = "b.backup.test";
  private static final String C_HOST = "c.backup.test";
  private static final String FILES_ONLY_HOST = "f.backup.test";

  @TempDir static Path dir;
  static TestNode one;
  static TestNode two;
  private static final List<String> MADE = new ArrayList<>();

  @BeforeAll
  static void startTwoNodesWithAnAppWithData() throws Exception {
    ServicesIT.Servers.postgresql();
    ServicesIT.Servers.command("pg_dump");
    one = TestNode.start(Files.createDirectories(dir.resolve("one")));
    two = TestNode.start(Files.createDirectories(dir.resolve("two")));
    // The second node, registered with the first node's CLI as "far", for NODE:LOCATION.
    Path reg = one.home().resolve(".silverlining/nodes/far.ini");
    Files.copy(two.home().resolve(".silverlining/nodes/" + TestNode.NAME + ".ini"), reg);

    deploy(one, SOURCE, A_HOST, "backup.schedule = every day 03:00", "backup.keep = 3");
    deploy(two, TARGET, B_HOST);
    deploy(two, CLONE, C_HOST);
    try (Connection c = pg(one, A_HOST);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE notes (id int primary key, body text, data bytea, at timestamptz)");
      st.execute(
          "INSERT INTO notes VALUES (3, E'tab\\tand\\nnewline', '\\x00ff',"
              + " '2020-01-01T00:00:00Z'), (1, 'ünïcødé ✓', NULL, NULL), (2, NULL, '\\x', NULL)");
      st.execute("CREATE TABLE nopk (a text, b int)");
      st.execute("INSERT INTO nopk SELECT 'x' || g, g % 7 FROM generate_series(1, 500) g");
    }
    app(one, A_HOST, "/write?root=files&path=docs/a.txt&content=" + enc("a file\n"));
    app(one, A_HOST, "/notes?add=" + enc("a sqlite note"));
  }

  @AfterAll
  static void stopNodesAndDropDatabases() throws Exception {
    for (TestNode n : new TestNode[] {one, two}) {
      if (n != null) {
        n.close();
      }
    }
    for (String app : MADE) {
      ServicesIT.Servers.drop(app.replace('-', '_'), app + ":");
    }
  }

  @Test
  @Order(1)
  void twoBackupsOfUnchangedDataHaveIdenticalDataFilesAndOneChangedRowChangesOneLine()
      throws Exception {
    Path b1 = dir.resolve("b1");
    Path b2 = dir.resolve("b2");
    ok(one.silver("backup", A_HOST, b1.toString()));
    TestNode.Result second = one.silver("backup", A_HOST, b2.toString());
    ok(second);
    assertThat(second.stdout()).contains("Saved the data of " + SOURCE + " to " + b2);
    // On this machine the node's folder is moved here: nothing was streamed, nothing is left.
    assertThat(Files.readString(one.root().resolve("logs/node.log")))
        .contains("handed over as a folder")
        .doesNotContain("streamed:");
    try (Stream<Path> left = Files.list(one.root().resolve("uploads"))) {
      assertThat(left).isEmpty();
    }

    assertThat(dataFiles(b2)).isEqualTo(dataFiles(b1));
    assertThat(dataFiles(b1))
        .containsKeys(
            "postgresql/schema.sql",
            "postgresql/data/public.notes.tsv",
            "files/docs/a.txt",
            "sqlite/data/notes.jsonl");

    sql(one, A_HOST, "UPDATE notes SET body = 'changed' WHERE id = 2");
    Path b3 = dir.resolve("b3");
    ok(one.silver("backup", A_HOST, b3.toString()));
    List<String> before = Files.readAllLines(b1.resolve("postgresql/data/public.notes.tsv"));
    List<String> after = Files.readAllLines(b3.resolve("postgresql/data/public.notes.tsv"));
    assertThat(after).hasSameSizeAs(before);
    List<Integer> changed = new ArrayList<>();
    for (int i = 0; i < before.size(); i++) {
      if (!before.get(i).equals(after.get(i))) {
        changed.add(i);
      }
    }
    assertThat(changed).hasSize(1);
    sql(one, A_HOST, "UPDATE notes SET body = NULL WHERE id = 2");
  }

  @Test
  @Order(2)
  void aFolderOnAnotherFileSystemComesAsAStream() throws Exception {
    Path shm = Path.of("/dev/shm");
    Assumptions.assumeTrue(
        Files.isWritable(shm) && !Files.getFileStore(shm).equals(Files.getFileStore(one.root())),
        "no writable /dev/shm on a file system of its own");
    Path b = Files.createTempDirectory(shm, "silver-backup-it-").resolve("b");
    try {
      ok(one.silver("backup", A_HOST, b.toString()));
      assertThat(Files.readString(one.root().resolve("logs/node.log"))).contains("streamed:");
      assertThat(dataFiles(b)).isEqualTo(dataFiles(dir.resolve("b1")));
    } finally {
      try (Stream<Path> s = Files.walk(b.getParent())) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @Test
  @Order(2)
  void aRestoreIntoAnotherAppOnAnotherNodeRoundTripsAndSaysHowToReturn() throws Exception {
    Path archive = dir.resolve("a.tar.zst");
    ok(one.silver("backup", A_HOST, archive.toString()));
    sql(two, B_HOST, "CREATE TABLE old_data (n int)");

    TestNode.Result r = two.silver("restore", archive.toString(), B_HOST, "--yes");
    ok(r);
    assertThat(r.stdout()).contains("verify", "checkpoint", "restore");
    Matcher m = CHECKPOINT.matcher(r.stdout());
    assertThat(m.find()).as(r.stdout()).isTrue();

    Path again = dir.resolve("b-again.tar.gz");
    ok(two.silver("backup", B_HOST, again.toString()));
    assertThat(dataFiles(unpack(again))).isEqualTo(dataFiles(unpack(archive)));
    assertThat(app(two, B_HOST, "/read?root=files&path=docs/a.txt")).isEqualTo("a file\n");
    try (Connection c = pg(two, B_HOST);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT body, encode(data, 'hex') FROM notes ORDER BY id")) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1) + "|" + rs.getString(2));
      }
      assertThat(rows).containsExactly("ünïcødé ✓|null", "null|", "tab\tand\nnewline|00ff");
    }

    // The checkpoint the restore took holds the data before it, and puts it back.
    String id = m.group(1);
    TestNode.Result list = two.silver("backups", B_HOST);
    ok(list);
    assertThat(list.stdout()).contains(id, "checkpoint", "before restore of an uploaded backup");
    ok(two.silver("restore", "--checkpoint", id, B_HOST, "--yes"));
    assertThat(tables(two, B_HOST)).containsExactly("old_data");
  }

  @Test
  @Order(3)
  void aDamagedArchiveChangesNothingAndSaysSo() throws Exception {
    Path archive = dir.resolve("damaged.tar.gz");
    ok(one.silver("backup", A_HOST, archive.toString()));
    try (RandomAccessFile f = new RandomAccessFile(archive.toFile(), "rw")) {
      f.seek(f.length() / 2);
      int b = f.read();
      f.seek(f.length() / 2);
      f.write(b ^ 0x55);
    }
    List<String> tablesBefore = tables(two, B_HOST);
    String checkpointsBefore = two.silver("backups", B_HOST).stdout();

    TestNode.Result r = two.silver("restore", archive.toString(), B_HOST, "--yes");

    assertThat(r.exitCode()).as(r.output()).isNotZero();
    assertThat(r.stderr()).contains("damaged").contains("nothing was restored");
    assertThat(tables(two, B_HOST)).isEqualTo(tablesBefore);
    assertThat(two.silver("backups", B_HOST).stdout()).isEqualTo(checkpointsBefore);

    Path cut = dir.resolve("cut.tar.gz");
    ok(one.silver("backup", A_HOST, cut.toString()));
    try (RandomAccessFile f = new RandomAccessFile(cut.toFile(), "rw")) {
      f.setLength(f.length() - 100);
    }
    TestNode.Result truncated = two.silver("restore", cut.toString(), B_HOST, "--yes");
    assertThat(truncated.exitCode()).isNotZero();
    assertThat(truncated.stderr()).contains("truncated").contains("nothing was restored");
    assertThat(tables(two, B_HOST)).isEqualTo(tablesBefore);
  }

  @Test
  @Order(4)
  void aBackupOfOtherServicesIsRefusedListingTheDifference() throws Exception {
    String name = made("bk-f-" + RUN);
    Path appDir = writeApp(name, "service.files =");
    ok(two.silver("update", appDir.toString(), FILES_ONLY_HOST));

    TestNode.Result r = two.silver("restore", dir.resolve("b1").toString(), FILES_ONLY_HOST, "-y");

    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr())
        .contains("services differ")
        .contains("service.postgresql: in the backup, not in the app")
        .contains("service.sqlite: in the backup, not in the app");
  }

  @Test
  @Order(5)
  void restoreAsksFirstAndAnswerNoChangesNothing() throws Exception {
    List<String> before = tables(two, B_HOST);
    TestNode.Result r = two.run(List.of("restore", dir.resolve("b1").toString(), B_HOST), "n\n");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout())
        .contains("Replace the data of " + TARGET + " at " + B_HOST)
        .contains("Nothing was changed.");
    assertThat(tables(two, B_HOST)).isEqualTo(before);
  }

  @Test
  @Order(6)
  void aSiteToSiteCloneStreamsTheDataIntoTheOtherNode() throws Exception {
    TestNode.Result r = one.silver("backup", A_HOST, "far:" + C_HOST, "--yes");
    ok(r);
    assertThat(r.stdout()).contains("Cloning " + SOURCE).contains("silver restore --checkpoint");

    Path fromClone = dir.resolve("clone");
    ok(two.silver("backup", C_HOST, fromClone.toString()));
    assertThat(dataFiles(fromClone)).isEqualTo(dataFiles(dir.resolve("b1")));

    TestNode.Result other = one.silver("backup", A_HOST, "far:" + FILES_ONLY_HOST, "--yes");
    assertThat(other.exitCode()).isNotZero();
    assertThat(other.stderr())
        .contains("services differ")
        .contains("service.postgresql: in the backup, not in the app");
  }

  @Test
  @Order(7)
  void backupsShowsTheScheduleFromAppIni() throws Exception {
    TestNode.Result r = one.silver("backups", A_HOST);
    ok(r);
    assertThat(r.stdout()).contains("Scheduled backups: every day 03:00 (UTC), keep 3, next ");
    TestNode.Result json = one.silver("backups", A_HOST, "--json");
    Map<String, Object> m = JSON.readValue(json.stdout(), new TypeReference<>() {});
    assertThat(m).containsEntry("app", SOURCE).containsEntry("keep", 3);
  }

  @Test
  @Order(8)
  void aBackupLoadsIntoTheDevelopmentServicesAndStartsTheTestingServices() throws Exception {
    String name = made("bk-d-" + RUN);
    Path appDir =
        writeApp(
            name,
            "service.files =",
            "service.sqlite =",
            "service.postgresql =",
            "test_command = python3 check.py");
    Files.writeString(
        appDir.resolve("check.py"),
        "import os, sys\n"
            + "path = os.path.join(os.environ['CONFIG_FILES'], 'docs', 'a.txt')\n"
            + "sys.exit(0 if os.path.exists(path) and open(path).read() == 'a file\\n' else 3)\n");
    String b1 = dir.resolve("b1").toString();

    TestNode.Result r = one.silver("restore", b1, "--devel", appDir.toString(), "--yes");
    ok(r);
    assertThat(r.stdout()).contains("Restored the development data of " + name);
    assertThat(r.output()).as("the stages alone, without the log's lines").doesNotContain(" INFO ");
    assertThat(appDir.resolve(".silver/serve/apps/" + name + "/files/docs/a.txt"))
        .hasContent("a file\n");

    TestNode.Result withFixture = one.silver("test", appDir.toString(), "--fixture", b1);
    ok(withFixture);
    assertThat(withFixture.stdout()).contains("Loaded the fixture");
    assertThat(one.silver("test", appDir.toString()).exitCode())
        .as("without the fixture the testing services are empty")
        .isEqualTo(3);
  }

  @Test
  @Order(9)
  void theNodeTakesAScheduledBackupThatIsDueAndListsIt() throws Exception {
    // A scheduled backup from 2020: the next one ("every day 03:00") has been due since then.
    Path old = one.root().resolve("backups").resolve(SOURCE).resolve("scheduled/20200101-030000");
    Path src = dir.resolve("b1");
    try (Stream<Path> files = Files.walk(src)) {
      for (Path p : files.toList()) {
        Path t = old.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    Path manifest = old.resolve("manifest.json");
    Files.writeString(
        manifest,
        Files.readString(manifest)
            .replaceFirst("\"created\" : \"[^\"]*\"", "\"created\" : \"2020-01-01T03:00:00Z\""));

    // The scheduler looks every 20 s; asked through the API rather than a command per look.
    List<String> scheduled = new ArrayList<>();
    String token = one.token();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              scheduled.clear();
              Map<String, Object> m =
                  JSON.readValue(
                      one.api("GET", "backups?location=" + A_HOST, token).body(),
                      new TypeReference<>() {});
              for (Object o : (List<?>) m.get("backups")) {
                Map<?, ?> b = (Map<?, ?>) o;
                if ("scheduled".equals(b.get("kind"))) {
                  scheduled.add(b.get("id") + " " + b.get("reason"));
                }
              }
              return scheduled.size() >= 2;
            });
    assertThat(scheduled)
        .as("a scheduled backup within 90 s")
        .hasSize(2)
        .anySatisfy(s -> assertThat(s).endsWith("scheduled: every day 03:00"))
        .last()
        .asString()
        .startsWith("20200101-030000");
    TestNode.Result listed = one.silver("backups", A_HOST);
    assertThat(listed.stdout()).contains("scheduled ").contains("scheduled: every day 03:00");
  }

  @Test
  @Order(10)
  void aNodeKilledAsItWritesARestoresCheckpointWritesItWhenItStartsAgain() throws Exception {
    Path archive = dir.resolve("before-kill.tar.zst");
    ok(one.silver("backup", A_HOST, archive.toString()));
    // Enough rows that writing them into the checkpoint, which comes after the restore answers,
    // takes a while: the kill below lands in it.
    sql(
        two,
        B_HOST,
        "CREATE TABLE big AS SELECT g AS id, md5(g::text) AS body"
            + " FROM generate_series(1, 300000) g");

    TestNode.Result r = two.silver("restore", archive.toString(), B_HOST, "--yes");
    two.kill9();
    ok(r);
    Matcher m = CHECKPOINT.matcher(r.stdout());
    assertThat(m.find()).as(r.stdout()).isTrue();
    two.startProcess();

    TestNode.Result list = two.silver("backups", B_HOST);
    ok(list);
    assertThat(list.stdout()).contains(m.group(1));
    ok(two.silver("restore", "--checkpoint", m.group(1), B_HOST, "--yes"));
    try (Connection c = pg(two, B_HOST);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), max(body) FROM big")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(300000);
    }
    assertThat(Files.readString(two.root().resolve("logs/node.log")))
        .as("the checkpoint was written by the node started again")
        .contains("which a node stop interrupted");
  }

  // ---------------------------------------------------------------------------------------------

  private static void deploy(TestNode node, String name, String host, String... lines)
      throws Exception {
    List<String> all = new ArrayList<>(List.of("service.files =", "service.sqlite ="));
    all.add("service.postgresql =");
    all.addAll(List.of(lines));
    Path app = writeApp(made(name), all.toArray(String[]::new));
    ok(node.silver("update", app.toString(), host));
  }

  private static String made(String app) {
    MADE.add(app);
    return app;
  }

  private static Path writeApp(String name, String... lines) throws Exception {
    Path app = Files.createDirectories(dir.resolve("src").resolve(name));
    Files.writeString(app.resolve("app.py"), ServicesIT.APP_PY);
    Files.writeString(
        app.resolve("app.ini"),
        "[production]\napp_name = "
            + name
            + "\nruntime = command\nrunner = python3 app.py\nhealth = /ping\n"
            + String.join("\n", lines)
            + "\n");
    return app;
  }

  private static void ok(TestNode.Result r) {
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  private static String app(TestNode node, String host, String path) throws Exception {
    DeployIT.Answer a = DeployIT.FrontClient.get(node.httpPort(), host, path);
    assertThat(a.statusCode()).as("%s: %s", path, a.body()).isEqualTo(200);
    return a.body();
  }

  private static Connection pg(TestNode node, String host) throws Exception {
    Map<String, String> env =
        JSON.readValue(app(node, host, "/env"), new TypeReference<Map<String, String>>() {});
    return DriverManager.getConnection(env.get("CONFIG_PG_JDBC_URL"));
  }

  private static void sql(TestNode node, String host, String statement) throws Exception {
    try (Connection c = pg(node, host);
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  private static List<String> tables(TestNode node, String host) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = pg(node, host);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** An archive unpacked by tar, as a user would, into a folder beside it. */
  private static Path unpack(Path archive) throws Exception {
    Path out = Files.createDirectories(archive.resolveSibling(archive.getFileName() + ".d"));
    String flag = archive.toString().endsWith(".zst") ? "--zstd" : "-z";
    Process p =
        new ProcessBuilder("tar", flag, "-xf", archive.toString(), "-C", out.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("tar: " + output).isZero();
    return out;
  }

  /** Every file of a backup folder but the manifest, by relative path: its bytes as text. */
  private static Map<String, String> dataFiles(Path backup) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(backup)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String rel = backup.relativize(p).toString();
        if (!rel.equals("manifest.json")) {
          out.put(rel, new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
        }
      }
    }
    return out;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}

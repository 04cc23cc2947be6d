package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Today's node takes over, in place, a node root an earlier release wrote ({@code
 * src/test/resources/fixtures/}, one per release): its {@code state.db} is migrated with a copy
 * kept, the apps serve again, and what the old node recorded is all there. A {@code state.db} newer
 * than this node knows is refused.
 */
class UpgradeIT {
  private static final Path FIXTURES = Path.of("src/test/resources/fixtures").toAbsolutePath();

  @TempDir Path dir;

  @Test
  void aNodeRootOfRelease01IsTakenOverInPlace() throws Exception {
    unpack("node-0.1.tar.gz");
    try (TestNode node = TestNode.startExisting(dir)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> node.get("keep.test", "/ping").statusCode() == 200);
      assertThat(node.get("keep.test", "/").body().strip()).isEqualTo("hello 2");
      assertThat(node.get("keep.test", "/records").body()).contains("before-upgrade");
      assertThat(node.get("site.test", "/index.html").body().strip())
          .isEqualTo("<h1>static v1</h1>");

      assertThat(ok(node, "versions", "keep.test"))
          .contains("keep.20261207_001", "keep.20261207_002", "keep.20261207_003");
      assertThat(ok(node, "config-query", "keep.test")).contains("Upload the configuration");
      assertThat(ok(node, "global-config")).contains("ops@keep.test");
      assertThat(ok(node, "cron", "keep.test")).contains("/record/cron");
      ok(node, "activate", "keep.test", "PREV");
      assertThat(node.get("keep.test", "/").body()).startsWith("hello ");
      node.stop();
    }

    Path db = dir.resolve("node/state.db");
    int latest = org.silverlining.node.state.StateSchema.LADDER.latest();
    assertThat(userVersion(dir.resolve("node/state.db.before-" + latest))).isZero();
    assertThat(userVersion(db)).isEqualTo(latest);
    assertThat(rows(db, "SELECT started FROM cron_runs WHERE job = '/record/cron'"))
        .contains("2026-12-07T07:08:00.868Z");
    assertThat(rows(db, "SELECT instance FROM deployments ORDER BY id"))
        .startsWith("keep.20261207_001", "keep.20261207_002", "keep.20261207_003");
  }

  @Test
  void aStateDbNewerThanThisNodeKnowsIsRefusedAndLeftAlone() throws Exception {
    unpack("node-0.1.tar.gz");
    Path db = dir.resolve("node/state.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = 9999");
    }
    TestNode.Result start = startOnce();

    assertThat(start.exitCode()).as(start.output()).isNotZero();
    assertThat(start.output())
        .contains("refuses to start")
        .contains("state.db")
        .contains("9999")
        .contains("up to " + org.silverlining.node.state.StateSchema.LADDER.latest())
        .contains("newer silver");
    assertThat(userVersion(db)).isEqualTo(9999);
    assertThat(
            dir.resolve(
                "node/state.db.before-" + org.silverlining.node.state.StateSchema.LADDER.latest()))
        .doesNotExist();
  }

  /** Runs {@code silver node start} on the fixture, expecting it to end by itself. */
  private TestNode.Result startOnce() throws Exception {
    List<String> cmd =
        List.of(
            TestNode.SILVER.toString(),
            "node",
            "start",
            "--root",
            dir.resolve("node").toString(),
            "--http",
            "127.0.0.1:0",
            "--admin",
            "127.0.0.1:0");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(TestNode.PROJECT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("refused.log").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().put("HOME", dir.resolve("home").toString());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(
          "the node started on a state.db of schema 9999: "
              + Files.readString(dir.resolve("refused.log")));
    }
    return new TestNode.Result(p.exitValue(), Files.readString(dir.resolve("refused.log")), "");
  }

  /**
   * Unpacks {@code fixture} into the test's folder: its {@code node/} root and the {@code home/} of
   * the CLI that knows it as node {@code old}, whose registry entry is pointed at the new place.
   */
  private void unpack(String fixture) throws Exception {
    Process tar =
        new ProcessBuilder(
                "tar",
                "xzf",
                FIXTURES.resolve(fixture).toString(),
                "-C",
                dir.toString(),
                "--strip-components=2")
            .inheritIO()
            .start();
    assertThat(tar.waitFor()).as("tar xzf " + fixture).isZero();
    Path entry = dir.resolve("home/.silverlining/nodes/old.ini");
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(entry)) {
      lines.add(line.startsWith("root = ") ? "root = " + dir.resolve("node") : line);
    }
    Files.write(entry, lines);
  }

  private static String ok(TestNode node, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--node", "old"));
    TestNode.Result r = node.silver(all.toArray(String[]::new));
    assertThat(r.exitCode()).as("silver %s%n%s", all, r.output()).isZero();
    return r.stdout();
  }

  private static int userVersion(Path db) throws SQLException {
    return Integer.parseInt(rows(db, "PRAGMA user_version").get(0));
  }

  private static List<String> rows(Path db, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}

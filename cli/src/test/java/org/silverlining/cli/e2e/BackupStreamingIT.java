package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table larger than the heaps of both the node and the CLI (64 MiB each) goes through {@code
 * silver backup} and {@code silver restore}: only streaming all the way can pass.
 */
class BackupStreamingIT {
  private static final String HEAP = "-Xmx64m -XX:+UseSerialGC";
  private static final int ROWS = 400_000; // 512 bytes of text each: ~200 MB of row data
  private static final String RUN = Long.toString(System.currentTimeMillis() % 2_000_000_000L, 36);
  private static final String APP = "bk-big-" + RUN;
  private static final String HOST = "big.backup.test";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private TestNode node;

  @AfterEach
  void stopNodeAndDropTheDatabase() throws Exception {
    if (node != null) {
      node.close();
    }
    ServicesIT.Servers.drop(APP.replace('-', '_'), APP + ":");
  }

  @Test
  void aTableLargerThanTheHeapsBacksUpAndRestoresThroughTheCli() throws Exception {
    ServicesIT.Servers.postgresql();
    ServicesIT.Servers.command("pg_dump");
    startNodeWithSmallHeap();
    Path app = Files.createDirectories(dir.resolve("app"));
    Files.writeString(app.resolve("app.py"), ServicesIT.APP_PY);
    Files.writeString(
        app.resolve("app.ini"),
        "[production]\napp_name = "
            + APP
            + "\nruntime = command\nrunner = python3 app.py\nhealth = /ping\n"
            + "service.postgresql =\n");
    TestNode.Result update = node.silver("update", app.toString(), HOST);
    assertThat(update.exitCode()).as(update.output()).isZero();
    String url = pgUrl();
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE big (id int PRIMARY KEY, body text)");
      st.execute(
          "INSERT INTO big SELECT g, repeat(md5(g::text), 16) FROM generate_series(1, "
              + ROWS
              + ") g");
    }

    Path backup = dir.resolve("big.tar.zst");
    Result saved = silverWithSmallHeap("backup", HOST, backup.toString());
    assertThat(saved.exitCode()).as(saved.output()).isZero();
    assertThat(Files.size(backup)).isGreaterThan(1L << 20);
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      st.execute("DELETE FROM big WHERE id > 10");
    }

    Result restored = silverWithSmallHeap("restore", backup.toString(), HOST, "--yes");
    assertThat(restored.exitCode()).as(restored.output()).isZero();

    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), sum(length(body)) FROM big")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(ROWS);
      assertThat(rs.getLong(2)).isEqualTo(ROWS * 512L);
    }
    assertThat(node.process().isAlive()).as("the node is still running").isTrue();
    assertThat(node.log()).doesNotContain("OutOfMemoryError");
  }

  /** What a command printed and how it ended. */
  private record Result(int exitCode, String output) {}

  /** {@code bin/silver ARGS} with a 64 MiB heap for the CLI too. */
  private Result silverWithSmallHeap(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(TestNode.SILVER.toString());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "cli-", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(TestNode.PROJECT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    pb.environment().put("HOME", node.home().toString());
    pb.environment().put("SILVER_CLI_JAVA_OPTS", HEAP);
    Process p = pb.start();
    p.getOutputStream().close();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("silver " + cmd + " did not finish within 300 s");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  private String pgUrl() throws Exception {
    HttpResponse<String> env =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/env"))
                    .header("Host", HOST)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(env.statusCode()).as(env.body()).isEqualTo(200);
    return JSON.readValue(env.body(), new TypeReference<Map<String, String>>() {})
        .get("CONFIG_PG_JDBC_URL");
  }

  /** As StreamingIT does: TestNode's node with a 64 MiB heap. */
  private void startNodeWithSmallHeap() throws Exception {
    node = TestNode.start(dir, Map.of("SILVER_NODE_JAVA_OPTS", HEAP));
  }
}

package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user sees when something is wrong: a short message that says what and where, a
 * non-zero exit, no Java stack trace, and a node that keeps serving what it served before.
 */
class BadInputIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static TestNode node;

  /** The one slow case (the node waits 60 s for readiness) runs beside the others, started here. */
  static String slowLive;

  static CompletableFuture<TestNode.Result> neverReady;

  @BeforeAll
  static void startNodeAndAnUpdateThatNeverBecomesReady() throws Exception {
    node = TestNode.start(dir);
    slowLive =
        TestNode.liveInstance(
            node.update(node.copyExample("hello-python"), "slow.test", "--name", "slow"));
    Path app =
        writeApp(
            "never-ready",
            "app_name = slow",
            "runtime = command",
            "runner = python3 -m http.server --bind 127.0.0.1 $PORT",
            "health = /no-such-page");
    neverReady =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return node.silver("update", app.toString(), "slow.test");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void anAppIniSyntaxErrorNamesTheFileAndTheLine() throws Exception {
    Path app = writeApp("syntax", "app_name = syntax", "this line is not a setting");

    TestNode.Result r = node.silver("update", app.toString(), "syntax.test");

    assertCleanFailure(r);
    assertThat(r.stderr()).contains(app.resolve("app.ini") + ":3:").contains("key = value");
  }

  @Test
  void anAppIniWithoutAppNameIsRefused() throws Exception {
    Path app = writeApp("nameless", "runtime = static");

    TestNode.Result r = node.silver("update", app.toString(), "nameless.test");

    assertCleanFailure(r);
    assertThat(r.stderr()).contains(app.resolve("app.ini").toString()).contains("app_name");
  }

  @Test
  void anAppIniWithoutRunnerIsRefused() throws Exception {
    Path app = writeApp("runnerless", "app_name = runnerless", "runtime = command");

    TestNode.Result r = node.silver("update", app.toString(), "runnerless.test");

    assertCleanFailure(r);
    assertThat(r.stderr()).contains("needs a runner");
  }

  @Test
  void anUnknownRuntimeIsRefusedNamingTheKnownOnes() throws Exception {
    Path app = writeApp("cobol", "app_name = cobol", "runtime = cobol", "runner = run.cbl");

    TestNode.Result r = node.silver("update", app.toString(), "cobol.test");

    assertCleanFailure(r);
    assertThat(r.stderr())
        .contains(app.resolve("app.ini") + ":3:")
        .contains("unknown runtime 'cobol'")
        .contains("java, command, static");
  }

  @Test
  void aLocationThatDoesNotParseIsAnInvalidLocation() throws Exception {
    TestNode.Result r =
        node.silver("update", node.copyExample("static-site").toString(), "bad host!");

    assertCleanFailure(r);
    assertThat(r.stderr()).contains("invalid location 'bad host!'");
  }

  @Test
  void anAppThatExitsAtOnceFailsTheUpdateShowsItsOutputAndLeavesTheOldInstanceLive()
      throws Exception {
    String before =
        TestNode.liveInstance(
            node.update(node.copyExample("hello-python"), "live.test", "--name", "live"));
    Path app =
        writeApp(
            "exits",
            "app_name = live",
            "runtime = command",
            "runner = python3 -c 'import sys; print(\"boom at start\"); sys.exit(3)'");

    TestNode.Result r = node.silver("update", app.toString(), "live.test");

    assertCleanFailure(r);
    assertThat(r.stderr()).contains("update failed at start").contains("boom at start");
    assertThat(get("live.test", "/").body()).contains("instance " + before + "\n");
  }

  @Test
  void anAppThatNeverBecomesReadyFailsTheUpdateAndLeavesTheOldInstanceLive() throws Exception {
    TestNode.Result r = neverReady.get();

    assertCleanFailure(r);
    assertThat(r.stderr()).contains("update failed at start").contains("not ready within");
    assertThat(get("slow.test", "/").body()).contains("instance " + slowLive + "\n");
  }

  @Test
  void aSecondAppClaimingALocationIsRefusedNamingTheOwnerUnlessReplace() throws Exception {
    node.update(node.copyExample("static-site"), "claimed.test", "--name", "owner");
    Path intruder = node.copyExample("hello-python");

    TestNode.Result refused =
        node.silver("update", intruder.toString(), "claimed.test", "--name", "intruder");
    assertCleanFailure(refused);
    assertThat(refused.stderr()).contains("belongs to the app 'owner'").contains("--replace");
    assertThat(get("claimed.test", "/hello.txt").body()).isEqualTo("Hello from a static file.\n");

    String instance =
        TestNode.liveInstance(
            node.update(intruder, "claimed.test", "--name", "intruder", "--replace"));
    assertThat(get("claimed.test", "/").body()).contains("instance " + instance + "\n");
  }

  @Test
  void anUnknownNodeIsAClearError() throws Exception {
    TestNode.Result r = node.silver("query", "--node", "nosuch");

    assertCleanFailure(r);
    assertThat(r.stderr()).contains("unknown node 'nosuch'").contains(TestNode.NAME);
  }

  @Test
  void aWrongTokenIsAClearErrorAboutTheToken() throws Exception {
    // A second registration of the same node with a wrong token: the real one stays untouched
    // for the commands other tests run meanwhile.
    Path nodes = node.home().resolve(".silverlining/nodes");
    String saved = Files.readString(nodes.resolve(TestNode.NAME + ".ini"));
    Path registration = nodes.resolve("wrong-token.ini");
    try {
      Files.writeString(registration, saved.replace(node.token(), "not-the-token"));

      TestNode.Result r = node.silver("query", "--node", "wrong-token");

      assertCleanFailure(r);
      assertThat(r.stderr()).contains("refused the token").contains(registration.toString());
    } finally {
      Files.deleteIfExists(registration);
    }
  }

  @Test
  void theManagementApiWithoutATokenAnswers401() throws Exception {
    HttpResponse<String> r = node.api("GET", "apps", null);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("bearer token is required");
    assertThat(node.api("GET", "apps", "wrong").statusCode()).isEqualTo(401);
    assertThat(node.api("GET", "apps", node.token()).statusCode()).isEqualTo(200);
  }

  @Test
  void anArchiveWithAnEntryOutsideTheAppFailsAtUnpackAndWritesNothingOutside() throws Exception {
    byte[] archive =
        tarGz(
            tar -> {
              file(tar, "app.ini", "[production]\napp_name = x\nruntime = static\n");
              file(tar, "../../evil", "escaped\n");
            });

    JsonNode last = postDeploy(archive, "x", "evil.test");

    assertThat(last.path("result").asText()).isEqualTo("failed");
    assertThat(last.path("stage").asText()).isEqualTo("unpack");
    assertThat(last.path("error").asText()).contains("../../evil");
    assertThat(filesNamed("evil")).isEmpty();
    assertThat(get("evil.test", "/").statusCode()).isEqualTo(404);
  }

  @Test
  void anArchiveWithALinkOutOfTheAppFailsAtUnpack() throws Exception {
    byte[] archive =
        tarGz(
            tar -> {
              file(tar, "app.ini", "[production]\napp_name = y\nruntime = static\n");
              TarArchiveEntry link = new TarArchiveEntry("static", TarArchiveEntry.LF_SYMLINK);
              link.setLinkName("../../../..");
              tar.putArchiveEntry(link);
              tar.closeArchiveEntry();
            });

    JsonNode last = postDeploy(archive, "y", "link.test");

    assertThat(last.path("result").asText()).isEqualTo("failed");
    assertThat(last.path("stage").asText()).isEqualTo("unpack");
    assertThat(get("link.test", "/").statusCode()).isEqualTo(404);
  }

  /** Non-zero exit, a message, and no Java stack trace. */
  private static void assertCleanFailure(TestNode.Result r) {
    assertThat(r.exitCode()).as(r.output()).isNotZero();
    assertThat(r.stderr()).as(r.output()).startsWith("Error: ");
    assertThat(r.output())
        .doesNotContainPattern("(?m)^\\s+at [\\w.$]+\\(")
        .doesNotContain("Exception");
  }

  private static Path writeApp(String name, String... productionLines) throws IOException {
    Path app = dir.resolve("apps").resolve(name);
    Files.createDirectories(app);
    Files.writeString(
        app.resolve("app.ini"), "[production]\n" + String.join("\n", productionLines) + "\n");
    return app;
  }

  private interface TarWriter {
    void write(TarArchiveOutputStream tar) throws IOException;
  }

  private static byte[] tarGz(TarWriter entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      entries.write(tar);
    }
    return bytes.toByteArray();
  }

  private static void file(TarArchiveOutputStream tar, String name, String content)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    e.setSize(data.length);
    tar.putArchiveEntry(e);
    tar.write(data);
    tar.closeArchiveEntry();
  }

  /** POSTs {@code archive} straight to the management API; returns the last progress line. */
  private static JsonNode postDeploy(byte[] archive, String app, String location) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + node.adminPort()
                                + "/api/v1/deploy?app="
                                + app
                                + "&location="
                                + location))
                    .header("Authorization", "Bearer " + node.token())
                    .header("Content-Type", "application/gzip")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(archive))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> lines = r.body().lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).isNotEmpty();
    return JSON.readTree(lines.get(lines.size() - 1));
  }

  private static List<Path> filesNamed(String name) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(p -> p.getFileName().toString().equals(name)).toList();
    }
  }

  private static DeployIT.Answer get(String host, String path) throws Exception {
    return DeployIT.FrontClient.get(node.httpPort(), host, path);
  }
}

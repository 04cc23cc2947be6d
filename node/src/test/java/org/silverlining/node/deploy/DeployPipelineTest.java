package org.silverlining.node.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.core.Hashing;
import org.silverlining.node.Node;
import org.silverlining.node.TestApps;
import org.silverlining.node.steps.Progress;

/**
 * The deploy pipeline of an in-process node: each failed deployment names its stage, leaves no
 * files or process behind, and the location goes on being served by the instance it had.
 */
class DeployPipelineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String APP = "pipe";
  private static final String LOCATION = "p.test";

  @TempDir static Path dir;
  static Node node;
  static HttpClient http;
  static String live;

  @BeforeAll
  static void deployAGoodVersion() throws Exception {
    node = TestApps.startNode(dir.resolve("node"));
    live = TestApps.deploy(node, APP, LOCATION, TestApps.pack(echo("v1", "")));
    http = new HttpClient();
    http.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (http != null) {
      http.stop();
    }
    if (node != null) {
      node.close();
    }
  }

  private static Path echo(String folder, String moreIni) {
    Path app = TestApps.echoApp(dir.resolve(folder), APP, Map.of());
    TestApps.write(app, Map.of("app.ini", TestApps.commandIni(APP, "python3 app.py", moreIni)));
    return app;
  }

  private static DeployFailedException failure(String app, String location, byte[] upload) {
    return failure(new Deployer.Request(app, location, false, null, "test"), upload);
  }

  private static DeployFailedException failure(Deployer.Request req, byte[] upload) {
    Throwable t =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> node.deployer().deploy(req, new ByteArrayInputStream(upload), Progress.NONE));
    assertThat(t).isInstanceOf(DeployFailedException.class);
    return (DeployFailedException) t;
  }

  /** The instance answering at {@code host}, asked through the front. */
  private static String servedBy(String host) throws Exception {
    ContentResponse r =
        http.newRequest("127.0.0.1", node.httpPort())
            .headers(h -> h.put(HttpHeader.HOST, host))
            .path("/whoami")
            .send();
    assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
    return JSON.readTree(r.getContentAsString()).get("instance").asText();
  }

  /** Every instance of {@code app} the node knows, name → status, from the management view. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> statuses(String app) throws Exception {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (Map<String, Object> a : (List<Map<String, Object>>) node.status().query().get("apps")) {
      if (a.get("name").equals(app)) {
        for (Map<String, Object> i : (List<Map<String, Object>>) a.get("instances")) {
          out.put((String) i.get("name"), (String) i.get("status"));
        }
      }
    }
    return out;
  }

  private static String newestInstance(String app) throws Exception {
    return statuses(app).keySet().iterator().next();
  }

  private static void assertOldInstanceStillServes() throws Exception {
    assertThat(servedBy(LOCATION)).isEqualTo(live);
    assertThat(statuses(APP)).containsEntry(live, "ready");
  }

  private static void assertOnlyTheLiveInstanceIsOnDisk() throws Exception {
    try (Stream<Path> s = Files.list(node.layout().instancesDir(APP))) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly(live);
    }
    try (Stream<Path> s = Files.list(node.layout().uploadsDir())) {
      assertThat(s).isEmpty();
    }
  }

  @Test
  void aGoodDeploymentIsServedAndRecordedReady() throws Exception {
    assertThat(servedBy(LOCATION)).isEqualTo(live);
    assertThat(statuses(APP)).containsEntry(live, "ready");
  }

  @Test
  void anArchiveWithAPathEscapeFailsAtUnpackAndWritesNothingOutside() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      put(tar, "app.ini", TestApps.commandIni(APP, "python3 app.py", ""));
      put(tar, "../evil", "escaped\n");
      put(tar, "../../../evil", "escaped\n");
    }

    DeployFailedException e = failure(APP, LOCATION, bytes.toByteArray());

    assertThat(e.stage()).isEqualTo("unpack");
    assertThat(e.getMessage()).contains("../evil");
    try (Stream<Path> all = Files.walk(dir)) {
      assertThat(all.filter(p -> p.getFileName().toString().equals("evil"))).isEmpty();
    }
    String failed = newestInstance(APP);
    assertThat(failed).isNotEqualTo(live);
    assertThat(statuses(APP)).containsEntry(failed, "failed");
    assertOnlyTheLiveInstanceIsOnDisk();
    assertOldInstanceStillServes();
  }

  private static void put(TarArchiveOutputStream tar, String name, String content)
      throws java.io.IOException {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setSize(data.length);
    tar.putArchiveEntry(entry);
    tar.write(data);
    tar.closeArchiveEntry();
  }

  @Test
  void anAppThatExitsBeforeItIsReadyFailsAtStartWithItsLastLines() throws Exception {
    Path app =
        TestApps.write(
            dir.resolve("never-ready"),
            Map.of(
                "app.ini",
                TestApps.commandIni(APP, "python3 app.py", ""),
                "app.py",
                "import sys\nprint('connecting to the database', flush=True)\n"
                    + "sys.exit('fatal: no database at db.internal:5432')\n"));

    DeployFailedException e = failure(APP, LOCATION, TestApps.pack(app));

    assertThat(e.stage()).isEqualTo("start");
    assertThat(e.getMessage()).contains("exited before it was ready");
    assertThat(e.logTail())
        .contains("connecting to the database", "fatal: no database at db.internal:5432");
    assertThat(statuses(APP)).containsEntry(newestInstance(APP), "failed");
    assertOnlyTheLiveInstanceIsOnDisk();
    assertOldInstanceStillServes();
  }

  @Test
  void anUpdateFetchThatDoesNotAnswer2xxFailsTheDeploymentWithTheAnswer() throws Exception {
    Path app =
        TestApps.write(
            dir.resolve("bad-update"),
            Map.of(
                "app.ini",
                TestApps.commandIni(APP, "python3 app.py", "update_fetch = /migrate\n"),
                "app.py",
                """
                import http.server, os
                class H(http.server.BaseHTTPRequestHandler):
                    def do_POST(self):
                        body = b"migration 7 failed: column exists\\n"
                        self.send_response(500 if self.headers["X-Silver-Internal"] == "update" else 400)
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)
                http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
                """));

    DeployFailedException e = failure(APP, LOCATION, TestApps.pack(app));

    assertThat(e.stage()).isEqualTo("update_fetch");
    assertThat(e.getMessage()).isEqualTo("/migrate answered 500");
    assertThat(e.logTail()).containsExactly("migration 7 failed: column exists");
    assertThat(statuses(APP)).containsEntry(newestInstance(APP), "failed");
    assertOnlyTheLiveInstanceIsOnDisk();
    assertOldInstanceStillServes();
  }

  @Test
  void aLocationOwnedByAnotherAppIsRefusedUnlessReplaced() throws Exception {
    TestApps.deploy(
        node,
        "owner",
        "own.test",
        TestApps.pack(TestApps.echoApp(dir.resolve("owner"), "owner", Map.of())));
    byte[] intruder =
        TestApps.pack(TestApps.echoApp(dir.resolve("intruder"), "intruder", Map.of()));

    DeployFailedException e = failure("intruder", "own.test", intruder);

    assertThat(e.stage()).isEqualTo("request");
    assertThat(e.getMessage()).contains("belongs to the app 'owner'").contains("--replace");
    assertThat(statuses("intruder")).isEmpty();
    String owner = servedBy("own.test");
    assertThat(owner).startsWith("owner.");

    String replaced =
        node.deployer()
            .deploy(
                new Deployer.Request("intruder", "own.test", true, null, "test"),
                new ByteArrayInputStream(intruder),
                Progress.NONE);

    assertThat(servedBy("own.test")).isEqualTo(replaced).startsWith("intruder.");
  }

  @Test
  void anUploadWithTheWrongChecksumIsRefusedAtUpload() throws Exception {
    byte[] upload = TestApps.pack(echo("v-checksum", ""));
    String wrong = Hashing.sha256("something else");

    DeployFailedException e =
        failure(new Deployer.Request(APP, LOCATION, false, wrong, "test"), upload);

    assertThat(e.stage()).isEqualTo("upload");
    assertThat(e.getMessage()).contains("checksum mismatch").contains(wrong);
    assertOnlyTheLiveInstanceIsOnDisk();
    assertOldInstanceStillServes();
  }

  @Test
  void anInvalidLocationIsRefusedBeforeTheUploadIsRead() {
    DeployFailedException e =
        failure(
            new Deployer.Request(APP, "bad host!/x", false, null, "test"), new byte[] {1, 2, 3});

    assertThat(e.stage()).isEqualTo("request");
    assertThat(e.getMessage()).contains("invalid location");
  }

  @Test
  void progressReportsEachStageInOrder() throws Exception {
    List<String> events = new ArrayList<>();
    Progress recorder =
        new Progress() {
          @Override
          public void started(String stage) {
            events.add("start " + stage);
          }

          @Override
          public void finished(String stage, long millis, String detail) {
            events.add("done " + stage);
          }

          @Override
          public void note(String text) {
            events.add("note " + text);
          }
        };
    byte[] upload = TestApps.pack(TestApps.echoApp(dir.resolve("progress"), "prog", Map.of()));
    Deployer.Request req = new Deployer.Request("prog", "prog.test", false, sha256(upload), "test");

    node.deployer().deploy(req, new ByteArrayInputStream(upload), recorder);

    assertThat(events)
        .containsSubsequence(
            "start upload",
            "done upload",
            "start unpack",
            "done unpack",
            "start start",
            "done start",
            "start switch",
            "done switch",
            "start drain",
            "done drain");
    assertThat(servedBy("prog.test")).startsWith("prog.");
  }

  private static String sha256(byte[] data) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
  }
}

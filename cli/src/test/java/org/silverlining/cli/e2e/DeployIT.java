package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code silver update} as a new user runs it: the three examples deployed to a real node and
 * reached through its front, with the routing features of a location (path prefix, wildcard host,
 * {@code prev.HOST}) and the packaging rules ({@code .silverignore}).
 */
class DeployIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static TestNode node;

  @BeforeAll
  static void startNode() throws Exception {
    node = TestNode.start(dir);
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void helloJavaAnswersAtItsLocationAfterProgressPrintedStageByStageWithTimings() throws Exception {
    TestNode.Result r = node.update(node.copyExample("hello-java"), "java.test");

    List<String> stages = List.of("package", "upload", "unpack", "start", "switch");
    int last = -1;
    for (String stage : stages) {
      Matcher m = Pattern.compile("(?m)^\\s+" + stage + "\\s+.*\\s\\d+ ms$").matcher(r.stdout());
      assertThat(m.find()).as("a progress line for %s in%n%s", stage, r.stdout()).isTrue();
      assertThat(m.start()).as("%s comes after the stage before it", stage).isGreaterThan(last);
      last = m.start();
    }
    String instance = TestNode.liveInstance(r);
    assertThat(instance).matches("hello\\.\\d{8}_\\d{3}");
    Answer answer = get("java.test", "/");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("Hello from " + instance + "\n");
  }

  @Test
  void helloPythonAnswersAtItsLocation() throws Exception {
    String instance =
        TestNode.liveInstance(node.update(node.copyExample("hello-python"), "python.test"));

    Answer answer = get("python.test", "/");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("Hello from python, instance " + instance + "\n");
  }

  @Test
  void staticSiteIsAnsweredByTheFrontFromItsStaticFolder() throws Exception {
    Path app = node.copyExample("static-site");
    node.update(app, "static.test");

    Answer file = get("static.test", "/hello.txt");
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.body()).isEqualTo(Files.readString(app.resolve("static/hello.txt")));
    Answer index = get("static.test", "/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.body()).isEqualTo(Files.readString(app.resolve("static/index.html")));
    assertThat(index.header("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
  }

  @Test
  void staticFilesOfAnAppWithProcessesAreAnsweredByTheFrontBeforeTheApp() throws Exception {
    Path app = node.copyExample("hello-python");
    Files.createDirectories(app.resolve("static"));
    Files.writeString(app.resolve("static/robots.txt"), "User-agent: *\nDisallow:\n");
    node.update(app, "files.test", "--name", "files");

    assertThat(get("files.test", "/robots.txt").body()).isEqualTo("User-agent: *\nDisallow:\n");
    assertThat(get("files.test", "/").body()).startsWith("Hello from python");
  }

  @Test
  void defaultLocationOfAppIniIsUsedWhenNoLocationIsGiven() throws Exception {
    TestNode.Result r =
        node.silver("update", node.copyExample("hello-python").toString(), "--name", "dflt");
    assertThat(r.exitCode()).as(r.output()).isZero();

    assertThat(r.stdout()).contains("at hello-python.localhost");
    Answer answer = get("hello-python.localhost", "/");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).contains("instance " + TestNode.liveInstance(r));
  }

  @Test
  void instanceNamesAreTheAppNameTheDateAndANumberThatIncreases() throws Exception {
    Path app = node.copyExample("hello-python");
    String first = TestNode.liveInstance(node.update(app, "count.test", "--name", "counter"));
    String second = TestNode.liveInstance(node.update(app, "count.test", "--name", "counter"));

    Pattern name = Pattern.compile("counter\\.(\\d{8})_(\\d{3})");
    Matcher a = name.matcher(first);
    Matcher b = name.matcher(second);
    assertThat(a.matches()).as(first).isTrue();
    assertThat(b.matches()).as(second).isTrue();
    assertThat(b.group(1)).isGreaterThanOrEqualTo(a.group(1));
    if (a.group(1).equals(b.group(1))) {
      assertThat(Integer.parseInt(b.group(2))).isEqualTo(Integer.parseInt(a.group(2)) + 1);
    }
  }

  @Test
  void nameOptionDeploysTheAppUnderAnotherName() throws Exception {
    String instance =
        TestNode.liveInstance(
            node.update(node.copyExample("hello-python"), "other.test", "--name", "other"));

    assertThat(instance).startsWith("other.");
    assertThat(get("other.test", "/").body()).contains("instance " + instance);
    assertThat(node.root().resolve("apps/other/instances/" + instance)).isDirectory();
    JsonNode q = query();
    assertThat(q.findValuesAsText("name")).contains("other");
  }

  @Test
  void locationWithAPathPassesTheMatchedPrefixToTheAppAndTakesItOffThePath() throws Exception {
    node.update(node.copyExample("hello-python"), "h.test/py", "--name", "prefixed");

    Answer answer = get("h.test", "/py/whoami");
    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode who = JSON.readTree(answer.body());
    assertThat(who.path("match_path").asText()).isEqualTo("/py");
    assertThat(who.path("forwarded_prefix").asText()).isEqualTo("/py");
    assertThat(who.path("path").asText()).isEqualTo("/whoami");
    assertThat(get("h.test", "/py").body()).startsWith("Hello from python");
    assertThat(get("h.test", "/elsewhere").statusCode()).isEqualTo(404);
  }

  @Test
  void wildcardLocationAnswersForAHostBelowIt() throws Exception {
    String instance =
        TestNode.liveInstance(
            node.update(node.copyExample("hello-python"), "*.wild.test", "--name", "wild"));

    Answer answer = get("a.wild.test", "/");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).contains("instance " + instance);
    assertThat(get("b.c.wild.test", "/").statusCode()).isEqualTo(200);
  }

  @Test
  void prevHostAnswersWithThePreviousDeploymentAfterASecondUpdate() throws Exception {
    Path app = node.copyExample("hello-java");
    String first = TestNode.liveInstance(node.update(app, "pj.test", "--name", "pj"));
    String second = TestNode.liveInstance(node.update(app, "pj.test", "--name", "pj"));

    assertThat(get("pj.test", "/").body()).isEqualTo("Hello from " + second + "\n");
    Answer previous = get("prev.pj.test", "/");
    assertThat(previous.statusCode()).isEqualTo(200);
    assertThat(previous.body()).isEqualTo("Hello from " + first + "\n");
  }

  @Test
  void filesListedInSilverignoreAreNotUploaded() throws Exception {
    Path app = node.copyExample("hello-python");
    Files.writeString(app.resolve("secret.txt"), "not for the node\n");
    Files.createDirectories(app.resolve("notes"));
    Files.writeString(app.resolve("notes/todo.txt"), "nor this\n");
    Files.writeString(app.resolve("kept.txt"), "this one goes\n");
    Files.writeString(
        app.resolve(".silverignore"),
        "secret.txt\nnotes/\n",
        java.nio.file.StandardOpenOption.APPEND);
    String instance = TestNode.liveInstance(node.update(app, "ignore.test", "--name", "ignoring"));

    Path onNode = node.root().resolve("apps/ignoring/instances/" + instance);
    assertThat(onNode.resolve("app.py")).isRegularFile();
    assertThat(onNode.resolve("kept.txt")).isRegularFile();
    assertThat(onNode.resolve("secret.txt")).doesNotExist();
    assertThat(onNode.resolve("notes")).doesNotExist();
  }

  @Test
  void theJavaExamplesSilverignoreLeavesItsSourcesBehind() throws Exception {
    String instance =
        TestNode.liveInstance(
            node.update(node.copyExample("hello-java"), "jsrc.test", "--name", "jsrc"));

    Path onNode = node.root().resolve("apps/jsrc/instances/" + instance);
    assertThat(onNode.resolve("target/hello.jar")).isRegularFile();
    assertThat(onNode.resolve("src")).doesNotExist();
    assertThat(onNode.resolve("pom.xml")).doesNotExist();
  }

  /** GET {@code path} through the front with {@code Host: host}. */
  static Answer get(String host, String path) throws Exception {
    return FrontClient.get(node.httpPort(), host, path);
  }

  private static JsonNode query() throws Exception {
    TestNode.Result r = node.silver("query", "--json");
    assertThat(r.exitCode()).as(r.output()).isZero();
    return JSON.readTree(r.stdout());
  }

  /** What the front answered: status, headers (names in lower case) and body. */
  record Answer(int statusCode, Map<String, String> headers, String body) {
    Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
  }

  /**
   * A one-request HTTP/1.1 client for the front that sets any {@code Host}. The JDK's HttpClient
   * refuses {@code Host} unless {@code jdk.httpclient.allowRestrictedHeaders} is set before its
   * first use in the JVM, which {@link TestNode#get} cannot count on; the other end-to-end classes
   * use this one too.
   */
  static final class FrontClient {
    private FrontClient() {}

    static Answer get(int port, String host, String path) throws IOException {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout(30_000);
        String req = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
        s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
        String status = line(in);
        int code = Integer.parseInt(status.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
          int colon = h.indexOf(':');
          headers.put(
              h.substring(0, colon).strip().toLowerCase(Locale.ROOT),
              h.substring(colon + 1).strip());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
          for (int n = chunkSize(in); n > 0; n = chunkSize(in)) {
            body.write(in.readNBytes(n));
            line(in);
          }
        } else if (headers.containsKey("content-length")) {
          body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else {
          in.transferTo(body);
        }
        return new Answer(code, headers, body.toString(StandardCharsets.UTF_8));
      }
    }

    private static int chunkSize(DataInputStream in) throws IOException {
      String size = line(in);
      int semi = size.indexOf(';');
      return Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
    }

    private static String line(DataInputStream in) throws IOException {
      StringBuilder b = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        if (c != '\r') {
          b.append((char) c);
        }
      }
      return b.toString();
    }
  }
}

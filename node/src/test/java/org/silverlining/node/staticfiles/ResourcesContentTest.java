package org.silverlining.node.staticfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.Node;
import org.silverlining.node.TestApps;
import org.silverlining.node.deploy.DeployFailedException;

/**
 * Named resources through a real node: {@code resources.ini}'s combination joined, minified and
 * served below {@code $STATIC_URL}, the app's {@code SILVER_RESOURCES_FILE}, and updates refused
 * with file and line.
 */
class ResourcesContentTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INI =
      """
      [jquery]
      production = https://cdn.example.test/jquery.min.js
      devel = /_devel/jquery.js
      [js]
      a.js file = static/js/a.js
      b.js file = static/js/b.js
      all_js combine = a.js b.js
      [images]
      images directory = static/images/
      """;
  private static final String PAGE =
      "<script src=\"https://cdn.example.test/jquery.min.js\"></script>\n";

  @TempDir static Path dir;
  static Node node;
  static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    node = TestApps.startNode(dir.resolve("node"));
    http = new HttpClient();
    http.start();
    deploy("v1", INI, "function alphaMarker(x) {\n  return x + 1;\n}\n");
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

  static String deploy(String mark, String ini, String aJs) throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("app.py", StaticContentTest.ENV_PY);
    files.put("app.ini", TestApps.commandIni("shop", "python3 app.py", ""));
    files.put("resources.ini", ini);
    files.put("static/js/a.js", "/* " + mark + ": this comment goes */\n" + aJs);
    files.put(
        "static/js/b.js",
        "// b\nfunction betaMarker(y) {\n  var longName = y;\n  return longName;\n}\n");
    files.put("static/images/logo.svg", "<svg/>");
    files.put("static/index.html", PAGE);
    Path app = TestApps.write(dir.resolve("shop-" + mark), files);
    return TestApps.deploy(node, "shop", "res.test", TestApps.pack(app));
  }

  static ContentResponse get(String path) throws Exception {
    return get("res.test", path);
  }

  static ContentResponse get(String host, String path) throws Exception {
    return http.newRequest("127.0.0.1", node.httpPort())
        .path(path)
        .headers(h -> h.put(HttpHeader.HOST, host))
        .timeout(20, TimeUnit.SECONDS)
        .send();
  }

  static JsonNode env() throws Exception {
    return JSON.readTree(get("/env").getContentAsString()).get("env");
  }

  static JsonNode resources() throws Exception {
    return JSON.readTree(Path.of(env().get("SILVER_RESOURCES_FILE").asText()).toFile());
  }

  @Test
  void theAppGetsProductionUrlsAndTheCombinationIsServedMinified() throws Exception {
    String staticUrl = env().get("STATIC_URL").asText();
    JsonNode urls = resources();

    assertThat(urls.get("a.js").isNull()).isTrue();
    assertThat(urls.get("b.js").isNull()).isTrue();
    assertThat(urls.get("jquery").asText()).isEqualTo("https://cdn.example.test/jquery.min.js");
    assertThat(urls.get("images").asText()).isEqualTo(staticUrl + "/images/");
    String all = urls.get("all_js").asText();
    assertThat(all).startsWith(staticUrl + "/_resources/all_js.").endsWith(".js");
    ContentResponse js = get(all);
    assertThat(js.getStatus()).isEqualTo(200);
    assertThat(js.getHeaders().get(HttpHeader.CACHE_CONTROL)).isEqualTo(StaticResolver.FAR_FUTURE);
    assertThat(js.getContentAsString())
        .contains("alphaMarker", "betaMarker")
        .doesNotContain("this comment goes", "longName");
    assertThat(get("/index.html").getContentAsString())
        .isEqualTo(PAGE); // production HTML is left alone
  }

  @Test
  void aBadResourcesIniOrScriptFailsTheUpdateNamingFileAndLine() throws Exception {
    String before = env().get("SILVER_INSTANCE_NAME").asText();

    assertThatThrownBy(() -> deploy("bad1", INI.replace("a.js b.js", "a.js c.js"), "a();"))
        .isInstanceOf(DeployFailedException.class)
        .satisfies(e -> assertThat(((DeployFailedException) e).stage()).isEqualTo("resources"))
        .hasMessageContaining("resources.ini:7")
        .hasMessageContaining("c.js, which is not defined");
    assertThatThrownBy(
            () -> deploy("bad2", INI.replace("static/js/b.js", "static/js/x.js"), "a();"))
        .hasMessageContaining("resources.ini:6")
        .hasMessageContaining("no file static/js/x.js");
    assertThatThrownBy(() -> deploy("bad3", INI, "function (\n"))
        .hasMessageContaining("static/js/a.js:2");
    assertThat(env().get("SILVER_INSTANCE_NAME").asText()).isEqualTo(before);
  }

  @Test
  void anAppWithoutResourcesIniHasNoResourcesFile() throws Exception {
    Path app =
        TestApps.write(
            dir.resolve("plain"),
            Map.of(
                "app.py",
                StaticContentTest.ENV_PY,
                "app.ini",
                TestApps.commandIni("plain", "python3 app.py", "")));
    TestApps.deploy(node, "plain", "plain.test", TestApps.pack(app));
    JsonNode env = JSON.readTree(get("plain.test", "/env").getContentAsString());
    assertThat(env.get("env").has("STATIC_URL")).isFalse();
    assertThat(env.get("env").has("SILVER_RESOURCES_FILE")).isFalse();
    assertThat(env.get("env").has("SILVER_INSTANCE_NAME")).isTrue();
  }
}

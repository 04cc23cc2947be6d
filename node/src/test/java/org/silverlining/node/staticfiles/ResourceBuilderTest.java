package org.silverlining.node.staticfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.core.InvalidConfigException;

/** The combiner: joined, minified, content-hashed files and the resources file made from them. */
class ResourceBuilderTest {
  private static final String INI =
      """
      [jquery]
      production = https://cdn.test/jquery.min.js
      devel = /_devel/jquery.js
      [js]
      a.js file = static/js/a.js
      b.js file = static/js/b.js
      all_js combine = a.js b.js
      solo file = static/js/solo.js
      [css]
      one.css file = static/css/one.css
      two.css file = static/css/two.css
      all_css combine = one.css two.css
      """;

  @TempDir Path dir;

  @BeforeEach
  void app() throws IOException {
    write("resources.ini", INI);
    write("static/js/a.js", "/* gone */\nfunction alpha(x) {\n  return x + 1;\n}\n");
    write(
        "static/js/b.js",
        "// gone too\nfunction beta(y) {\n  var longName = y * 2;\n  return longName;\n}\n");
    write("static/js/solo.js", "solo();\n");
    write(
        "static/css/one.css",
        "/* note */\na  >  b ,\n c {\n  color : red ;\n  margin: 0 auto;\n}\n");
    write("static/css/two.css", "p :hover { width: calc(1px + 2%); content: \"a  /* b */\"; }\n");
    write("static/index.html", "<script src=\"https://cdn.test/jquery.min.js\"></script>\n");
  }

  private void write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  @SuppressWarnings("unchecked")
  private Map<String, String> published(String staticUrl, boolean production) throws IOException {
    Path file = ResourcePlan.publish(dir, staticUrl, production);
    return new ObjectMapper().readValue(file.toFile(), Map.class);
  }

  @Test
  void combinationsAreJoinedMinifiedAndNamedByContent() throws IOException {
    ResourceBuilder.build(dir, true);
    Map<String, String> prod = published("/blog/static/20261207_001", true);
    assertThat(prod.get("a.js")).isNull();
    assertThat(prod.get("b.js")).isNull();
    assertThat(prod.get("solo")).isEqualTo("/blog/static/20261207_001/js/solo.js");
    assertThat(prod.get("jquery")).isEqualTo("https://cdn.test/jquery.min.js");
    String js = prod.get("all_js");
    assertThat(js).matches("/blog/static/20261207_001/_resources/all_js\\.[0-9a-f]{12}\\.js");
    String text = Files.readString(dir.resolve("static" + js.substring(js.indexOf("/_resources"))));
    assertThat(text)
        .contains("function alpha(", "function beta(")
        .doesNotContain("gone", "longName");
    String css = prod.get("all_css");
    String cssText =
        Files.readString(dir.resolve("static" + css.substring(css.indexOf("/_resources"))));
    assertThat(cssText)
        .isEqualTo(
            "a>b,c{color : red;margin: 0 auto}\n"
                + "p :hover{width: calc(1px + 2%);content: \"a  /* b */\"}\n");
    // The same content, the same name: a deployment that changes nothing keeps browsers' copies.
    ResourceBuilder.build(dir, true);
    assertThat(published("/s", true).get("all_js")).endsWith(js.substring(js.lastIndexOf('/')));
  }

  @Test
  void developmentNamesTheMembersAndRewritesHtml() throws IOException {
    ResourceBuilder.build(dir, false);
    Map<String, String> devel = published("/static/20261207_002", false);
    assertThat(devel.get("all_js")).isNull();
    assertThat(devel.get("a.js")).isEqualTo("/static/20261207_002/js/a.js");
    assertThat(devel.get("jquery")).isEqualTo("/_devel/jquery.js");
    assertThat(Files.readString(dir.resolve("static/index.html")))
        .isEqualTo("<script src=\"/_devel/jquery.js\"></script>\n");
  }

  @Test
  void productionLeavesHtmlAlone() throws IOException {
    ResourceBuilder.build(dir, true);
    assertThat(Files.readString(dir.resolve("static/index.html"))).contains("cdn.test");
  }

  @Test
  void aJavaScriptErrorNamesTheMemberAndLine() throws IOException {
    write("static/js/b.js", "var ok = 1;\nfunction ( {\n");
    assertThatThrownBy(() -> ResourceBuilder.build(dir, true))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("static/js/b.js:2: ");
  }

  @Test
  void aCssErrorNamesTheMemberAndLine() throws IOException {
    write("static/css/two.css", "p {}\n\n/* never closed\n");
    assertThatThrownBy(() -> ResourceBuilder.build(dir, true))
        .hasMessage("static/css/two.css:3: a comment is not closed");
    write("static/css/two.css", "p {\n");
    assertThatThrownBy(() -> ResourceBuilder.build(dir, true))
        .hasMessageContaining("static/css/two.css:2: 1 block(s) not closed");
  }

  @Test
  void noResourcesIniNoFile() throws IOException {
    Files.delete(dir.resolve("resources.ini"));
    assertThat(ResourceBuilder.build(dir, true)).isEqualTo("no resources.ini");
    assertThat(ResourcePlan.publish(dir, "/static/x", true)).isNull();
  }
}

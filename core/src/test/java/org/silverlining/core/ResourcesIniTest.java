package org.silverlining.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.core.ResourcesIni.Kind;
import org.silverlining.core.ResourcesIni.Resource;

class ResourcesIniTest {
  @TempDir Path app;

  @BeforeEach
  void files() throws IOException {
    Files.createDirectories(app.resolve("static/js"));
    Files.createDirectories(app.resolve("static/images"));
    Files.writeString(app.resolve("static/js/A.js"), "a()");
    Files.writeString(app.resolve("static/js/b.js"), "b()");
    Files.writeString(app.resolve("static/site.css"), "p{}");
  }

  private List<Resource> parse(String text) {
    return ResourcesIni.parse("resources.ini", text, app);
  }

  @Test
  void readsTheIssuesExample() {
    List<Resource> r =
        parse(
            """
            [jquery]
            production = https://ajax.example.com/jquery.min.js?v=1
            devel = /_devel/jquery.js
            [js]
            A.js file = static/js/A.js   ; a comment
            b.js file = static/js/b.js
            all_js combine = A.js b.js
            [images]
            images directory = static/images
            """);
    assertThat(r)
        .extracting(Resource::name)
        .containsExactly("jquery", "A.js", "b.js", "all_js", "images");
    assertThat(r.get(0).kind()).isEqualTo(Kind.EXTERNAL);
    assertThat(r.get(0).production()).isEqualTo("https://ajax.example.com/jquery.min.js?v=1");
    assertThat(r.get(0).devel()).isEqualTo("/_devel/jquery.js");
    assertThat(r.get(1).path()).isEqualTo("/js/A.js"); // the name keeps its case
    assertThat(r.get(3).members()).containsExactly("A.js", "b.js");
    assertThat(r.get(4).path()).isEqualTo("/images/");
    assertThat(ResourcesIni.members(r)).containsExactlyInAnyOrder("A.js", "b.js");
  }

  @Test
  void withoutDevelTheProductionUrlServesBoth() {
    Resource r = parse("[cdn]\nproduction = https://x.test/a.js\n").get(0);
    assertThat(r.devel()).isEqualTo("https://x.test/a.js");
  }

  @Test
  void noFileIsNoResource() throws IOException {
    assertThat(ResourcesIni.read(app)).isEmpty();
    Files.writeString(app.resolve("resources.ini"), "[css]\nsite file = static/site.css\n");
    assertThat(ResourcesIni.read(app)).extracting(Resource::path).containsExactly("/site.css");
  }

  @Test
  void anUnknownMemberNamesFileAndLine() {
    assertThatThrownBy(() -> parse("[js]\nb.js file = static/js/b.js\nall combine = b.js c.js\n"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("resources.ini:3")
        .hasMessageContaining("c.js, which is not defined");
  }

  @Test
  void aMissingFileNamesFileAndLine() {
    assertThatThrownBy(() -> parse("[js]\n\nx file = static/js/nope.js\n"))
        .hasMessageContaining("resources.ini:3")
        .hasMessageContaining("no file static/js/nope.js");
  }

  @Test
  void aFileOutsideStaticHasNoUrl() {
    assertThatThrownBy(() -> parse("[js]\nx file = static/../app.ini\n"))
        .hasMessageContaining("resources.ini:2")
        .hasMessageContaining("not below static/");
  }

  @Test
  void mixedTypesOrANameTwiceOrAnUnknownKindAreRefused() {
    assertThatThrownBy(
            () ->
                parse(
                    "[a]\nb file = static/js/b.js\ns file = static/site.css\nall combine = b s\n"))
        .hasMessageContaining("resources.ini:4")
        .hasMessageContaining("only .js files or only .css files");
    assertThatThrownBy(() -> parse("[a]\nb file = static/js/b.js\n[c]\nb file = static/js/b.js\n"))
        .hasMessageContaining("resources.ini:4")
        .hasMessageContaining("defined twice (first at line 2)");
    assertThatThrownBy(() -> parse("[a]\nb link = static/js/b.js\n"))
        .hasMessageContaining("resources.ini:2")
        .hasMessageContaining("'b link'");
    assertThatThrownBy(() -> parse("[a]\ndevel = /x.js\n"))
        .hasMessageContaining("resources.ini:2")
        .hasMessageContaining("no production URL");
  }
}

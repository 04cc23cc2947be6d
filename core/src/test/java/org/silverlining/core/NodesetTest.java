package org.silverlining.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodesetTest {
  @TempDir Path dir;

  private static Nodeset parse(String text) {
    return Nodeset.parse(IniFile.parse("site.nodeset", text));
  }

  @Test
  void readsTheIssuesExampleWithItsInlineComment() throws Exception {
    Path file = dir.resolve("site.nodeset");
    Files.writeString(
        file,
        """
        [nodeset]
        name = site
        appservers = app1 app2
        balancer = lb
        services = db          ; optional: the node whose services the apps share
        """);

    Nodeset set = Nodeset.load(file);

    assertThat(set.name()).isEqualTo("site");
    assertThat(set.appServers()).containsExactly("app1", "app2");
    assertThat(set.first()).isEqualTo("app1");
    assertThat(set.balancer()).isEqualTo("lb");
    assertThat(set.services()).isEqualTo("db");
    assertThat(set.nodes()).containsExactly("app1", "app2", "lb", "db");
  }

  @Test
  void appServersMaySpanLinesAndCommasAndTheBalancerIsOptional() {
    Nodeset set = parse("[nodeset]\nname = s\nappservers = a1, a2\n  a3\n");

    assertThat(set.appServers()).containsExactly("a1", "a2", "a3");
    assertThat(set.balancer()).isNull();
    assertThat(set.services()).isNull();
  }

  @Test
  void namesFileAndLineOfEachMistake() {
    assertThatThrownBy(() -> parse("[nodeset]\nname = s\nappservers = a b\nbalancer = a\n"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage(
            "site.nodeset:4: the balancer 'a' is also an app server; give it a node of its own");
    assertThatThrownBy(() -> parse("[nodeset]\nname = s\nappservers = a b a\n"))
        .hasMessage("site.nodeset:3: appservers names 'a' twice");
    assertThatThrownBy(() -> parse("[nodeset]\nname = s\nappserver = a\n"))
        .hasMessageStartingWith("site.nodeset:3: unknown key 'appserver'");
    assertThatThrownBy(() -> parse("[nodeset]\nname = s\n"))
        .hasMessage("site.nodeset: [nodeset] needs 'appservers = …' (node names)");
    assertThatThrownBy(() -> parse("[nodes]\nname = s\n"))
        .hasMessageStartingWith("site.nodeset: no [nodeset] section");
    assertThatThrownBy(() -> parse("[nodeset]\nname = s\nappservers = a\nservices = x y\n"))
        .hasMessage("site.nodeset:4: services names one node, not 'x y'");
    assertThatThrownBy(() -> parse("[nodeset]\nname = s\nappservers = a ../b\n"))
        .hasMessage("site.nodeset:3: appservers: '../b' is not a node name");
    assertThatThrownBy(() -> parse("[nodeset]\nname = s\nappservers = a\nbalancer\n"))
        .hasMessageStartingWith("site.nodeset:4: expected 'key = value'");
  }

  @Test
  void onlyFilesEndingInDotNodesetAreNodesets() {
    assertThat(Nodeset.isNodesetFile("site.nodeset")).isTrue();
    assertThat(Nodeset.isNodesetFile("www.example.com")).isFalse();
    assertThat(Nodeset.isNodesetFile(null)).isFalse();
  }
}

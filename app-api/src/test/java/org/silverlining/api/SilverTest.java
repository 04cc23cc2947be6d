package org.silverlining.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SilverTest {
  @TempDir Path dir;

  @Test
  void productionIsTheSilverliningVersionOnly() {
    assertThat(Silver.isProduction(Map.of("SILVER_VERSION", "silverlining/0.1.0"))).isTrue();
    assertThat(Silver.isProduction(Map.of("SILVER_VERSION", "devel/0.1.0"))).isFalse();
    assertThat(Silver.isProduction(Map.of())).isFalse();
  }

  @Test
  void aFileTheNodeReplacesIsReadAgainAndAnUnchangedOneIsNot() throws Exception {
    Path file = dir.resolve("global-config.ini");
    Files.writeString(file, "[global]\nAPI_KEY = k1\n");
    NodeFile<Map<String, String>> values = new NodeFile<>(GlobalValues::parse);
    Map<String, String> first = values.get(file);
    assertThat(first).containsEntry("API_KEY", "k1");
    assertThat(values.get(file)).isSameAs(first);

    Path tmp = dir.resolve("new");
    Files.writeString(tmp, "[global]\nAPI_KEY = k2\nSUPPORT_EMAIL = ops@example.org\n");
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

    assertThat(values.get(file))
        .containsEntry("API_KEY", "k2")
        .containsEntry("SUPPORT_EMAIL", "ops@example.org");
  }

  @Test
  void theLogLevelComesFromTheFileWhileItHasOneThenFromTheStartValue() throws Exception {
    Path file = dir.resolve("log-level");
    Map<String, String> env =
        Map.of("SILVER_LOG_LEVEL_FILE", file.toString(), "SILVER_LOG_LEVEL", "warn");
    assertThat(Silver.logLevel(env)).isEqualTo("warn");

    Path tmp = dir.resolve("tmp");
    Files.writeString(tmp, "debug\n");
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

    assertThat(Silver.logLevel(env)).isEqualTo("debug");
    assertThat(Silver.logLevel(Map.of())).isEqualTo("info");
    assertThat(SilverLogging.julLevel("debug")).isEqualTo(java.util.logging.Level.FINE);
  }

  @Test
  void hrefReadsTheResourcesFileAndRefusesAnUnknownName() throws Exception {
    Path file = dir.resolve("resources.json");
    Files.writeString(
        file, "{\"all_js\": \"/static/20261207_001/_resources/all_js.abc.js\", \"a.js\": null}");
    Map<String, String> env = Map.of("SILVER_RESOURCES_FILE", file.toString());

    assertThat(Silver.href(env, "all_js"))
        .isEqualTo("/static/20261207_001/_resources/all_js.abc.js");
    assertThat(Silver.href(env, "a.js")).isNull();
    assertThatThrownBy(() -> Silver.href(env, "al_js"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("names no al_js");
    assertThatThrownBy(() -> Silver.href(Map.of(), "all_js"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SILVER_RESOURCES_FILE");
  }
}

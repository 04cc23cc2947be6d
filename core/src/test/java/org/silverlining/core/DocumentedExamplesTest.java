package org.silverlining.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code app.ini} the project shows its users is valid: each {@code ```ini} block of {@code
 * docs/app-ini.md} and each {@code examples/*}{@code /app.ini}. Paths are relative to the module
 * folder, {@code core/}, where the tests run.
 */
class DocumentedExamplesTest {
  private static final Path REFERENCE = Path.of("../docs/app-ini.md");
  private static final Path EXAMPLES = Path.of("../examples");
  private static final String SOURCE = "docs/app-ini.md";

  /**
   * An {@code ```ini} block and the line of the reference it starts on. The text is preceded by
   * blank lines, so that parse errors name the line of the reference itself.
   */
  private record Block(int line, String text) {}

  @TestFactory
  Stream<DynamicTest> everyIniBlockOfTheReferenceIsAValidAppIni() throws IOException {
    return iniBlocks(Files.readString(REFERENCE, StandardCharsets.UTF_8)).stream()
        .map(
            block ->
                dynamicTest(
                    "the example at " + SOURCE + " line " + block.line() + " is valid",
                    () -> assertValid(SOURCE, block.text())));
  }

  @Test
  void theReferenceHasAnExampleForEveryKeyItDocuments() throws IOException {
    String reference = Files.readString(REFERENCE, StandardCharsets.UTF_8);
    List<Block> blocks = iniBlocks(reference);
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(18);
    for (String key :
        List.of(
            "app_name",
            "runtime",
            "platform",
            "php_root",
            "runner",
            "java_options",
            "classpath",
            "processes",
            "health",
            "default_location",
            "update_fetch",
            "migrate_fetch",
            "test_fetch",
            "test_command",
            "build",
            "packages",
            "env.",
            "service.",
            "config.",
            "backup.")) {
      assertThat(reference).as("a section for " + key).contains("### `" + key);
      assertThat(blocks).as("an example using " + key).anyMatch(b -> b.text().contains(key));
    }
  }

  @TestFactory
  Stream<DynamicTest> everyExampleAppHasAValidAppIni() throws IOException {
    List<Path> apps;
    try (Stream<Path> children = Files.list(EXAMPLES)) {
      apps = children.filter(AppConfig::exists).sorted().toList();
    }
    assertThat(apps).as("example apps in " + EXAMPLES).isNotEmpty();
    return apps.stream()
        .map(
            app ->
                dynamicTest(
                    "examples/" + app.getFileName() + "/app.ini is valid",
                    () -> {
                      Path file = app.resolve(AppConfig.FILE_NAME);
                      assertValid(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
                    }));
  }

  private static void assertValid(String source, String text) {
    AppConfig config = AppConfig.parse(IniFile.parse(source, text), false);
    assertThat(config.warnings()).as(source).isEmpty();
    AppConfig devel = AppConfig.parse(IniFile.parse(source, text), true);
    assertThat(devel.warnings()).as(source + " with [devel]").isEmpty();
  }

  /** The {@code ```ini} fenced blocks of {@code markdown}, with the line each starts on. */
  private static List<Block> iniBlocks(String markdown) {
    List<Block> blocks = new ArrayList<>();
    String[] lines = markdown.split("\r?\n", -1);
    StringBuilder text = null;
    int start = 0;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (text == null && line.equals("```ini")) {
        text = new StringBuilder("\n".repeat(i + 1));
        start = i + 2;
      } else if (text != null && line.equals("```")) {
        blocks.add(new Block(start, text.toString()));
        text = null;
      } else if (text != null) {
        text.append(lines[i]).append('\n');
      }
    }
    assertThat(text).as("an ```ini block left open in " + SOURCE).isNull();
    return blocks;
  }
}

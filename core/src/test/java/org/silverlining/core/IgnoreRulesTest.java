package org.silverlining.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IgnoreRulesTest {
  private static IgnoreRules rules(String... lines) {
    return IgnoreRules.fromLines(List.of(lines));
  }

  @Test
  void aNameWithoutSlashMatchesAtAnyDepth() {
    IgnoreRules r = rules("*.log", "secret.txt");

    assertThat(r.ignores("app.log", false)).isTrue();
    assertThat(r.ignores("logs/2026/app.log", false)).isTrue();
    assertThat(r.ignores("secret.txt", false)).isTrue();
    assertThat(r.ignores("config/secret.txt", false)).isTrue();
    assertThat(r.ignores("app.log.txt", false)).isFalse();
    assertThat(r.ignores("catalog", false)).isFalse();
  }

  @Test
  void aNameWithoutSlashMatchesFoldersToo() {
    assertThat(rules("node_modules").ignores("web/node_modules", true)).isTrue();
  }

  @Test
  void aPatternWithASlashIsTakenFromTheRoot() {
    IgnoreRules r = rules("build/libs");

    assertThat(r.ignores("build/libs", true)).isTrue();
    assertThat(r.ignores("sub/build/libs", true)).isFalse();
  }

  @Test
  void aLeadingSlashAnchorsANameToTheRoot() {
    IgnoreRules r = rules("/secret.txt");

    assertThat(r.ignores("secret.txt", false)).isTrue();
    assertThat(r.ignores("static/secret.txt", false)).isFalse();
  }

  @Test
  void anAnchoredStarDoesNotCrossFolders() {
    IgnoreRules r = rules("static/*.map");

    assertThat(r.ignores("static/site.js.map", false)).isTrue();
    assertThat(r.ignores("static/js/site.js.map", false)).isFalse();
  }

  @Test
  void aDoubleStarCrossesFolders() {
    assertThat(rules("static/**/*.map").ignores("static/js/vendor/site.js.map", false)).isTrue();
  }

  @Test
  void aTrailingSlashMatchesOnlyFolders() {
    IgnoreRules r = rules("target/", "/tmp/");

    assertThat(r.ignores("target", true)).isTrue();
    assertThat(r.ignores("module/target", true)).isTrue();
    assertThat(r.ignores("target", false)).isFalse();
    assertThat(r.ignores("tmp", true)).isTrue();
    assertThat(r.ignores("static/tmp", true)).isFalse();
  }

  @Test
  void commentsAndBlankLinesAreSkipped() {
    IgnoreRules r = rules("# *.log", "", "   ", "  # indented comment");

    assertThat(r.ignores("app.log", false)).isFalse();
    assertThat(r.ignores("#", false)).isFalse();
  }

  @Test
  void surroundingWhitespaceIsIgnored() {
    assertThat(rules("  *.tmp  ").ignores("x.tmp", false)).isTrue();
  }

  @Test
  void characterClassesAndAlternativesWork() {
    IgnoreRules r = rules("*.[oa]", "*.{bak,orig}");

    assertThat(r.ignores("x.o", false)).isTrue();
    assertThat(r.ignores("lib/x.a", false)).isTrue();
    assertThat(r.ignores("x.c", false)).isFalse();
    assertThat(r.ignores("app.ini.orig", false)).isTrue();
  }

  @Test
  void noRulesIgnoreNothing() {
    assertThat(rules().ignores("anything", false)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {".git", ".hg", ".svn", ".silver", "sub/.git", "deep/er/.svn"})
  void versionControlFoldersAreAlwaysIgnored(String folder, @TempDir Path app) throws IOException {
    IgnoreRules r = IgnoreRules.of(app);

    assertThat(r.ignores(folder, true)).isTrue();
  }

  @Test
  void ordinaryFilesAreKeptWithoutSilverignore(@TempDir Path app) throws IOException {
    IgnoreRules r = IgnoreRules.of(app);

    assertThat(r.ignores("app.ini", false)).isFalse();
    assertThat(r.ignores("static", true)).isFalse();
    assertThat(r.ignores(".gitignore", false)).isFalse();
  }

  @Test
  void readsSilverignoreAndKeepsTheBuiltInRules(@TempDir Path app) throws IOException {
    Files.writeString(app.resolve(IgnoreRules.FILE_NAME), "# local\n*.log\n/target/\n");

    IgnoreRules r = IgnoreRules.of(app);

    assertThat(r.ignores("server.log", false)).isTrue();
    assertThat(r.ignores("target", true)).isTrue();
    assertThat(r.ignores(".git", true)).isTrue();
    assertThat(r.ignores("src/Main.java", false)).isFalse();
  }

  @Test
  void aFolderNamedSilverignoreIsNotRead(@TempDir Path app) throws IOException {
    Files.createDirectory(app.resolve(IgnoreRules.FILE_NAME));

    assertThat(IgnoreRules.of(app).ignores("app.ini", false)).isFalse();
  }
}

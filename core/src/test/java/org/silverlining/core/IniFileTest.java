package org.silverlining.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IniFileTest {
  private static IniFile parse(String text) {
    return IniFile.parse("test.ini", text);
  }

  @Nested
  class Sections {
    @Test
    void readsSectionsInFileOrder() {
      IniFile ini = parse("[production]\na = 1\n[devel]\nb = 2\n[extra]\n");

      assertThat(ini.sectionNames()).containsExactly("production", "devel", "extra");
      assertThat(ini.hasSection("extra")).isTrue();
      assertThat(ini.section("extra")).isEmpty();
    }

    @Test
    void anAbsentSectionIsEmptyRatherThanAnError() {
      IniFile ini = parse("[production]\na = 1\n");

      assertThat(ini.hasSection("devel")).isFalse();
      assertThat(ini.section("devel")).isEmpty();
      assertThat(ini.get("devel", "a")).isEmpty();
      assertThat(ini.entry("devel", "a")).isEmpty();
    }

    @Test
    void aRepeatedSectionAddsToTheFirst() {
      IniFile ini = parse("[s]\na = 1\n[t]\n[s]\nb = 2\n");

      assertThat(ini.sectionNames()).containsExactly("s", "t");
      assertThat(ini.section("s")).containsOnlyKeys("a", "b");
    }

    @Test
    void sectionNamesAreTrimmedButKeepTheirCase() {
      IniFile ini = parse("[ Production ]\na = 1\n");

      assertThat(ini.sectionNames()).containsExactly("Production");
    }

    @Test
    void keysAreReadInFileOrder() {
      IniFile ini = parse("[s]\nzebra = 1\napple = 2\nmango = 3\n");

      assertThat(ini.section("s").keySet()).containsExactly("zebra", "apple", "mango");
    }

    @Test
    void theSectionViewCannotBeChanged() {
      IniFile ini = parse("[s]\na = 1\n");

      assertThatThrownBy(() -> ini.section("s").clear())
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Nested
  class Entries {
    @Test
    void acceptsEqualsAndColonAsSeparators() {
      IniFile ini = parse("[s]\na = 1\nb: 2\nc=3\nd:4\n");

      assertThat(ini.get("s", "a")).contains("1");
      assertThat(ini.get("s", "b")).contains("2");
      assertThat(ini.get("s", "c")).contains("3");
      assertThat(ini.get("s", "d")).contains("4");
    }

    @Test
    void splitsAtTheFirstSeparatorSoValuesMayHoldTheOther() {
      IniFile ini = parse("[s]\nurl = http://example.com:8080/a=b\ntime: 12:30\n");

      assertThat(ini.get("s", "url")).contains("http://example.com:8080/a=b");
      assertThat(ini.get("s", "time")).contains("12:30");
    }

    @Test
    void trimsKeysAndValues() {
      IniFile ini = parse("[s]\n   spaced   =    value with  inner  spaces   \n");

      assertThat(ini.get("s", "spaced")).contains("value with  inner  spaces");
    }

    @Test
    void lowerCasesKeys() {
      IniFile ini = parse("[s]\nApp_Name = Hello\n");

      assertThat(ini.get("s", "app_name")).contains("Hello");
      assertThat(ini.get("s", "App_Name")).isEmpty();
    }

    @Test
    void anEmptyValueIsKept() {
      IniFile ini = parse("[s]\nempty =\n");

      assertThat(ini.get("s", "empty")).contains("");
    }

    @Test
    void aLaterKeyReplacesAnEarlierOneAndKeepsItsOwnLine() {
      IniFile ini = parse("[s]\na = 1\na = 2\n");

      assertThat(ini.entry("s", "a")).contains(new IniFile.Entry("a", "2", 3));
    }

    @Test
    void everyEntryRemembersItsLine() {
      IniFile ini = parse("# header\n\n[s]\n\na = 1\n; note\nb = 2\n");

      assertThat(ini.entry("s", "a").orElseThrow().line()).isEqualTo(5);
      assertThat(ini.entry("s", "b").orElseThrow().line()).isEqualTo(7);
    }

    @Test
    void countsLinesTheSameWithWindowsLineEnds() {
      IniFile ini = parse("[s]\r\na = 1\r\n\r\nb = 2\r\n");

      assertThat(ini.get("s", "a")).contains("1");
      assertThat(ini.entry("s", "b").orElseThrow().line()).isEqualTo(4);
    }
  }

  @Nested
  class Comments {
    @Test
    void skipsHashAndSemicolonCommentLines() {
      IniFile ini = parse("# one\n; two\n[s]\n  # indented\na = 1\n;b = 2\n#c = 3\n");

      assertThat(ini.section("s")).containsOnlyKeys("a");
    }

    @Test
    void stripsAnInlineCommentAfterWhitespace() {
      IniFile ini = parse("[s]\na = 1 ; the first\nb = 2\t# the second\nc = 3 ;\n");

      assertThat(ini.get("s", "a")).contains("1");
      assertThat(ini.get("s", "b")).contains("2");
      assertThat(ini.get("s", "c")).contains("3");
    }

    @Test
    void keepsASemicolonOrHashWithoutWhitespaceBefore() {
      IniFile ini = parse("[s]\na = a;b\nb = x#y\nc = jdbc:sqlite:db;mode=wal\n");

      assertThat(ini.get("s", "a")).contains("a;b");
      assertThat(ini.get("s", "b")).contains("x#y");
      assertThat(ini.get("s", "c")).contains("jdbc:sqlite:db;mode=wal");
    }

    @Test
    void aValueThatIsOnlyACommentIsEmpty() {
      IniFile ini = parse("[s]\na = ; nothing here\nb = # nor here\n");

      assertThat(ini.get("s", "a")).contains("");
      assertThat(ini.get("s", "b")).contains("");
    }
  }

  @Nested
  class ContinuationLines {
    @Test
    void joinsIndentedLinesToTheValueAbove() {
      IniFile ini = parse("[s]\npackages = curl\n  git\n\tzip\nnext = 1\n");

      assertThat(ini.get("s", "packages")).contains("curl\ngit\nzip");
      assertThat(ini.get("s", "next")).contains("1");
    }

    @Test
    void aValueMayStartOnTheNextLine() {
      IniFile ini = parse("[s]\nupdate_fetch =\n    /a\n    /b\n");

      assertThat(ini.get("s", "update_fetch")).contains("/a\n/b");
    }

    @Test
    void aContinuedValueKeepsTheLineOfItsKey() {
      IniFile ini = parse("[s]\n\nbuild = mvn\n  package\n");

      assertThat(ini.entry("s", "build").orElseThrow().line()).isEqualTo(3);
    }

    @Test
    void stripsInlineCommentsFromContinuationLines() {
      IniFile ini = parse("[s]\npackages = curl\n  git ; for fetching\n");

      assertThat(ini.get("s", "packages")).contains("curl\ngit");
    }

    @Test
    void skipsCommentLinesInsideAContinuedValue() {
      IniFile ini = parse("[s]\npackages = curl\n  # not this\n  git\n");

      assertThat(ini.get("s", "packages")).contains("curl\ngit");
    }

    @Test
    void anIndentedLineRightAfterAHeaderIsAnEntry() {
      IniFile ini = parse("[s]\n  a = 1\n");

      assertThat(ini.get("s", "a")).contains("1");
    }
  }

  @Nested
  class Errors {
    @Test
    void rejectsAnEntryBeforeAnySection() {
      assertThatThrownBy(() -> parse("# intro\napp_name = hello\n[production]\n"))
          .isInstanceOfSatisfying(
              InvalidConfigException.class,
              e -> {
                assertThat(e.source()).isEqualTo("test.ini");
                assertThat(e.line()).isEqualTo(2);
              })
          .hasMessageStartingWith("test.ini:2: ")
          .hasMessageContaining("before any [section]");
    }

    @Test
    void rejectsAHeaderWithoutItsClosingBracket() {
      assertThatThrownBy(() -> parse("[production]\na = 1\n[devel\n"))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageStartingWith("test.ini:3: ")
          .hasMessageContaining("[name]")
          .hasMessageContaining("[devel");
    }

    @Test
    void rejectsAnEmptyHeader() {
      assertThatThrownBy(() -> parse("[]\n"))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageStartingWith("test.ini:1: ");
    }

    @Test
    void rejectsALineWithoutSeparator() {
      assertThatThrownBy(() -> parse("[production]\napp_name = hello\njust some words\n"))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageStartingWith("test.ini:3: ")
          .hasMessageContaining("key = value")
          .hasMessageContaining("just some words");
    }

    @Test
    void rejectsALineWithoutSeparatorBeforeAnySection() {
      assertThatThrownBy(() -> parse("hello\n"))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageStartingWith("test.ini:1: ");
    }

    @Test
    void rejectsAnEntryWithoutKey() {
      assertThatThrownBy(() -> parse("[s]\n= value\n"))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageStartingWith("test.ini:2: ");
    }

    @Test
    void readNamesTheFileInErrors(@TempDir Path dir) throws IOException {
      Path file = Files.writeString(dir.resolve("app.ini"), "[production\n");

      assertThatThrownBy(() -> IniFile.read(file))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageStartingWith(file + ":1: ");
    }

    @Test
    void readOfAMissingFileIsAnIoError(@TempDir Path dir) {
      assertThatThrownBy(() -> IniFile.read(dir.resolve("missing.ini")))
          .isInstanceOf(NoSuchFileException.class);
    }
  }

  @Test
  void readUsesThePathAsSource(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("node.ini"), "[node]\nname = café\n");

    IniFile ini = IniFile.read(file);

    assertThat(ini.source()).isEqualTo(file.toString());
    assertThat(ini.get("node", "name")).contains("café");
  }

  @Test
  void anEmptyTextHasNoSections() {
    assertThat(parse("").sectionNames()).isEmpty();
  }

  @Nested
  class Rendering {
    @Test
    void rendersSectionsSeparatedByABlankLine() {
      Map<String, Map<String, String>> sections = new LinkedHashMap<>();
      sections.put("node", ordered("name", "alpha", "port", "8080"));
      sections.put("tls", ordered("email", "ops@example.com"));

      assertThat(IniFile.render(sections))
          .isEqualTo("[node]\nname = alpha\nport = 8080\n\n[tls]\nemail = ops@example.com\n");
    }

    @Test
    void rendersNothingForNoSections() {
      assertThat(IniFile.render(Map.of())).isEmpty();
    }

    @Test
    void whatIsRenderedParsesBackToTheSameValues() {
      Map<String, Map<String, String>> sections = new LinkedHashMap<>();
      sections.put(
          "production",
          ordered(
              "app_name", "hello",
              "runner", "target/hello.jar",
              "java_options", "-Xmx64m -Dx=y",
              "env.db", "jdbc:sqlite:db;mode=wal",
              "empty", ""));
      sections.put("devel", ordered("processes", "2"));
      sections.put("empty-section", new LinkedHashMap<>());

      IniFile back = IniFile.parse("rendered", IniFile.render(sections));

      assertThat(back.sectionNames()).containsExactlyElementsOf(sections.keySet());
      sections.forEach(
          (name, entries) ->
              entries.forEach((k, v) -> assertThat(back.get(name, k)).as(k).contains(v)));
    }

    @Test
    void aMultiLineValueRendersAsContinuationLines() {
      Map<String, Map<String, String>> sections = new LinkedHashMap<>();
      sections.put("production", ordered("packages", "curl\ngit\nzip", "after", "1"));

      IniFile back = IniFile.parse("rendered", IniFile.render(sections));

      assertThat(back.get("production", "packages")).contains("curl\ngit\nzip");
      assertThat(back.get("production", "after")).contains("1");
    }

    private static Map<String, String> ordered(String... keysAndValues) {
      Map<String, String> out = new LinkedHashMap<>();
      for (int i = 0; i < keysAndValues.length; i += 2) {
        out.put(keysAndValues[i], keysAndValues[i + 1]);
      }
      return out;
    }
  }
}
